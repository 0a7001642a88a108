#!/usr/bin/env bash
# Prepares the client examples' test (host/tests/clients.rs): a virtual environment with the
# pinned Python `requests` from PyPI at target/clients-venv. Node 20+ (fetch) and curl come
# from the system. Idempotent and quick when already done.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=target/clients-venv
REQUESTS=requests==2.32.3
if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import requests, sys; sys.exit(requests.__version__ != "2.32.3")' 2>/dev/null; then
    echo "clients: $VENV ready"
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "$REQUESTS"
echo "clients: $VENV with $REQUESTS"
