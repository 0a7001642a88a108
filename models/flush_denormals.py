"""Sets the subnormal ("denormal") float32 weights of an ONNX model to zero.

The PP-OCRv6 text detector ships with 255 958 subnormal weights (below 1.2e-38 in magnitude),
most of them in the two 768->384 1x1 convolutions of its last backbone stage (185 260 of the
294 912 weights of `conv2d_165.w_0`). Intel CPUs multiply subnormals through a slow microcode
assist: on the 2-core Intel Xeon of session 11 those two small convolutions took 228 of the
detector's 330 ms on one thread, and the whole detector ran in 83 ms once they were zero
(docs/performance.md, "Session 11"). AMD's Zen 3 handles them at nearly full speed, which is why
the earlier sessions' machine never showed it. ONNX Runtime's `session.set_denormal_as_zero`
only sets the flag on its own pool threads, not on the thread that calls `run`.

A subnormal weight times any activation the model produces is itself subnormal or zero, lost
when added to the sums a convolution makes: the detector's probability maps are bit for bit the
same with the weights zeroed (checked on 65 card and frame images, maximum difference 0).

Usage: flush_denormals.py SRC.onnx DST.onnx   (run by models/fetch.sh; deterministic for the
pinned onnx/numpy/protobuf versions, and DST is pinned in checksums.sha256)
"""

import sys

import numpy as np
import onnx
from onnx import numpy_helper

SMALLEST_NORMAL = np.finfo(np.float32).tiny


def main(src: str, dst: str) -> None:
    model = onnx.load(src)
    flushed = 0
    for tensor in model.graph.initializer:
        weights = numpy_helper.to_array(tensor)
        if weights.dtype != np.float32:
            continue
        subnormal = (weights != 0) & (np.abs(weights) < SMALLEST_NORMAL)
        if subnormal.any():
            flushed += int(subnormal.sum())
            zeroed = np.where(subnormal, np.float32(0), weights).astype(np.float32)
            tensor.CopyFrom(numpy_helper.from_array(zeroed, tensor.name))
    onnx.save(model, dst)
    print(f"{dst}: {flushed} subnormal weights set to zero")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
