#!/usr/bin/env bash
# Lays out the public labelled face photos used to calibrate the face thresholds, from PyPI
# source distributions pinned by sha256, as DIR/<identity>/<photo>:
#   face_recognition==1.3.0 (MIT): obama (5 photos incl. 2 partial faces), biden (1)
#   insightface==2.1 (MIT):        tom_hanks (1)
# Usage: fetch-calibration-data.sh DIR   (needs python3 with pip)
set -euo pipefail
DIR="${1:?usage: $0 DIR}"
mkdir -p "$DIR/_sdist"
fetch() { # name version sha256
    local file="$DIR/_sdist/$1-$2.tar.gz"
    [[ -f "$file" ]] || python3 -m pip download --quiet --no-deps --no-binary :all: "$1==$2" -d "$DIR/_sdist"
    echo "$3  $file" | sha256sum --check --quiet - \
        || { echo "error: $file does not match its pinned sha256" >&2; exit 1; }
}
fetch face_recognition 1.3.0 5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec
fetch insightface 2.1 776cbd36b70f5f2ae1a026101cfb80387f0b2280a0dbaf073f8d3ed69f554e01
mkdir -p "$DIR/public/obama" "$DIR/public/biden" "$DIR/public/tom_hanks"
tar --no-same-owner -xzf "$DIR/_sdist/face_recognition-1.3.0.tar.gz" -C "$DIR/public/obama" --strip-components=3 \
    face_recognition-1.3.0/tests/test_images/{obama,obama2,obama3,obama_partial_face,obama_partial_face2}.jpg
tar --no-same-owner -xzf "$DIR/_sdist/face_recognition-1.3.0.tar.gz" -C "$DIR/public/biden" --strip-components=3 \
    face_recognition-1.3.0/tests/test_images/biden.jpg
tar --no-same-owner -xzf "$DIR/_sdist/insightface-2.1.tar.gz" -C "$DIR/public/tom_hanks" --strip-components=4 \
    insightface-2.1/insightface/data/images/Tom_Hanks_54745.png
echo "calibration photos ready in $DIR/public (one directory per identity)"
