#!/usr/bin/env bash
# WhatsApp detail with curl: whether a number has WhatsApp ("checking" at first: poll again or
# pass a callback URL). Env: KYCD_URL, KYCD_KEY, NUMBER (E.164, e.g. +6281234567890).
set -euo pipefail
: "${KYCD_URL:?}" "${KYCD_KEY:?}" "${NUMBER:?}"
curl -sS -H "Authorization: $KYCD_KEY" --data-urlencode "number=$NUMBER" "$KYCD_URL/v1/whatsapp/detail"
echo
