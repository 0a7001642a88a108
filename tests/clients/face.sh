#!/usr/bin/env bash
# Faces with curl: compare two photos, then enrol one in the key's gallery and search it.
# Env: KYCD_URL, KYCD_KEY, FACE_A, FACE_B (two photos of faces).
set -euo pipefail
: "${KYCD_URL:?}" "${KYCD_KEY:?}" "${FACE_A:?}" "${FACE_B:?}"

curl -sS -H "Authorization: $KYCD_KEY" -F "img1=@$FACE_A" -F "img2=@$FACE_B" "$KYCD_URL/v1/face/compare"
echo
curl -sS -H "Authorization: $KYCD_KEY" -F "img=@$FACE_A" "$KYCD_URL/v1/face/search/add"
echo
curl -sS -H "Authorization: $KYCD_KEY" -F "img=@$FACE_B" -F top_k=3 "$KYCD_URL/v1/face/search"
echo
