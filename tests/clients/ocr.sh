#!/usr/bin/env bash
# OCR with curl: a document image as a file part, then the key's usage.
# Env: KYCD_URL (e.g. http://127.0.0.1:8080), KYCD_KEY, IMAGE (a card photo or scan),
#      ROUTE (default ocr/mrz: any image route GET /v1/routes lists).
set -euo pipefail
: "${KYCD_URL:?}" "${KYCD_KEY:?}" "${IMAGE:?}"
ROUTE="${ROUTE:-ocr/mrz}"

# multipart file upload; details=1 adds per-field confidence and validity
curl -sS -H "Authorization: $KYCD_KEY" -F "img=@$IMAGE" -F details=1 "$KYCD_URL/v1/$ROUTE"
echo

# the same image as base64 in a form field (what most mobile clients send); from a file, as an
# image's base64 is longer than one command-line argument may be
encoded=$(mktemp)
trap 'rm -f "$encoded"' EXIT
base64 -w0 "$IMAGE" > "$encoded"
curl -sS -H "Authorization: $KYCD_KEY" --data-urlencode "img@$encoded" "$KYCD_URL/v1/$ROUTE"
echo

# usage counts of this key
curl -sS -H "Authorization: $KYCD_KEY" "$KYCD_URL/v1/usage"
echo
