"""Keeps only the non-CJK classes of the PP-OCRv6 recogniser's output layer.

PP-OCRv6 small reads 18 708 characters, 17 000 of them CJK, which kycd never reads (its
documents are in Latin, Cyrillic-free European, Thai and Devanagari scripts; Thai and Devanagari
lines go to Tesseract). Its last layer projects every time step onto all 18 710 classes and
softmaxes over them: 14 % of the recogniser's time on a card. This keeps the blank, every
character below U+2E80 (Latin with diacritics, digits, punctuation, Greek, Cyrillic, Thai, ...)
and the space: 1 750 classes. Scores of the kept classes are unchanged before the softmax, so the
best class of a time step is the same whenever it was a kept one.

Usage: prune_rec_classes.py SRC.onnx DST.onnx   (run by models/fetch.sh; deterministic for the
pinned onnx/numpy/protobuf versions, and DST is pinned in checksums.sha256)
"""

import sys

import numpy as np
import onnx
from onnx import numpy_helper

FIRST_CJK = 0x2E80
WEIGHT, BIAS = "linear_8.w_0", "linear_8.b_0"


def main(src: str, dst: str) -> None:
    model = onnx.load(src)
    graph = model.graph
    metadata = {p.key: p for p in model.metadata_props}
    characters = metadata["character"].value.split("\n")
    kept = [i for i, text in enumerate(characters) if all(ord(c) < FIRST_CJK for c in text)]
    # Class 0 is the CTC blank, 1..=len are the characters, the last one is the space.
    columns = [0] + [i + 1 for i in kept] + [len(characters) + 1]

    initializers = {i.name: i for i in graph.initializer}
    weight = numpy_helper.to_array(initializers[WEIGHT])
    bias = numpy_helper.to_array(initializers[BIAS])
    if weight.shape[1] != len(characters) + 2:
        sys.exit(f"{src}: output layer has {weight.shape[1]} classes, expected {len(characters) + 2}")
    initializers[WEIGHT].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(weight[:, columns]), WEIGHT))
    initializers[BIAS].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(bias[columns]), BIAS))
    metadata["character"].value = "\n".join(characters[i] for i in kept)

    # The stored shapes of the tensors after the projection name the old class count.
    for info in list(graph.value_info) + list(graph.output):
        dims = info.type.tensor_type.shape.dim
        if len(dims) == 3 and dims[2].dim_value == weight.shape[1]:
            dims[2].dim_value = len(columns)

    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f"{dst}: {len(columns)} of {weight.shape[1]} classes kept")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
