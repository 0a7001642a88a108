#!/usr/bin/env bash
# Sets up (see setup.sh) and runs the whole test suite: unit, golden and end-to-end tests, the
# latter against real hosts started by the tests, with real models. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
for fetch in tests/data/fetch-*.sh host/vision/tests/data/fetch-*.sh; do
    [[ -x "$fetch" ]] && "$fetch"
done
cargo test --workspace --release --no-fail-fast
