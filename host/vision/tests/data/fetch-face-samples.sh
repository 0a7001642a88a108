#!/usr/bin/env bash
# Fetches the real face photographs the face tests use (Obama x2, Biden) from the PyPI source
# distribution face_recognition==1.3.0 (MIT), pinned by sha256, into tests/data/cache/
# (git-ignored). Needs python3 with pip, or curl.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$HERE/cache"
VERSION=1.3.0
SDIST="face_recognition-$VERSION.tar.gz"
SDIST_SHA256=5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec
IMAGES=(obama.jpg obama2.jpg biden.jpg)

mkdir -p "$CACHE"
if [[ ! -f "$CACHE/$SDIST" ]]; then
    if python3 -m pip --version >/dev/null 2>&1; then
        python3 -m pip download --quiet --no-deps --no-binary :all: \
            "face_recognition==$VERSION" -d "$CACHE"
    else
        curl -fsSL -o "$CACHE/$SDIST" \
            "https://files.pythonhosted.org/packages/source/f/face_recognition/$SDIST"
    fi
fi
echo "$SDIST_SHA256  $CACHE/$SDIST" | sha256sum --check --quiet - \
    || { echo "error: $CACHE/$SDIST does not match its pinned sha256; delete it and re-run" >&2; exit 1; }

members=()
for image in "${IMAGES[@]}"; do
    members+=("face_recognition-$VERSION/tests/test_images/$image")
done
tar --no-same-owner -xzf "$CACHE/$SDIST" -C "$CACHE" --strip-components=3 "${members[@]}"
for image in "${IMAGES[@]}"; do
    test -s "$CACHE/$image" || { echo "error: $image missing from $SDIST" >&2; exit 1; }
done
echo "face samples ready in $CACHE: ${IMAGES[*]}"
