#!/usr/bin/env bash
# Measures document accuracy the way docs/accuracy.md reports it: generates a labelled corpus
# (kycd-corpus), starts a private host with the release build's plugins, and runs the `kycd eval`
# harness over real HTTP. Prints the Markdown table; writes the JSON report next to the corpus.
#
# Usage: scripts/accuracy.sh [SEED] [PER_TYPE] [CONDITIONS] [TYPES]
#        scripts/accuracy.sh 7 20 scan,photo            (what docs/accuracy.md records)
#        scripts/accuracy.sh DIR                          (any labelled folder, e.g. real specimens)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/kycd-accuracy.XXXXXX)
if [[ -d ${1:-} ]]; then
    corpus=$1
else
    seed=${1:-7} per_type=${2:-20} conditions=${3:-scan,photo} types=${4:-}
    corpus=$work/corpus
    target/release/kycd-corpus generate --out "$corpus" --seed "$seed" --per-type "$per_type" \
        --conditions "$conditions" ${types:+--types "$types"} >&2
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Paths in a configuration file are relative to its folder: make them absolute for the copy.
sed -e "s#data_dir = \"data\"#data_dir = \"$work/data\"#" \
    -e "s#^dir = \"models\"#dir = \"$PWD/models\"#" \
    -e "s#^dir = \"target/release\"#dir = \"$PWD/target/release\"#" plugins.toml > "$work/plugins.toml"
KYCD_LISTEN=127.0.0.1:$port target/release/kycd serve --config "$work/plugins.toml" 2> "$work/kycd.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break
    sleep 0.2
done
target/release/kycd eval "$corpus" --url "http://127.0.0.1:$port" --key kycd-demo-key-change-me \
    --report "$work/report.json"
echo "report: $work/report.json" >&2
