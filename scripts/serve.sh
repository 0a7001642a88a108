#!/usr/bin/env bash
# Sets up (see setup.sh) and starts kycd with the default configuration (plugins.toml) and the
# embedded store under data/. Listens on 127.0.0.1:8080 unless KYCD_LISTEN says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
exec target/release/kycd serve --config plugins.toml
