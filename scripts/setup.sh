#!/usr/bin/env bash
# Everything a fresh machine needs before kycd builds and runs: Debian packages, pinned models,
# and a release build of the host and every plugin. Idempotent: a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
models/fetch.sh
cargo build --release --workspace --exclude kycd-fixture-echo-v1 --exclude kycd-fixture-echo-v2 --exclude kycd-fixture-abi-mismatch
