"""int8 static (QDQ) quantisation of the PP-OCRv6 text detector and recogniser: an EXPERIMENT,
not run by models/fetch.sh, because it does not pay (docs/performance.md, "int8 static
quantisation"): on the 2-core AMD EPYC (Zen 3, AVX2, no VNNI) the int8 detector is no faster than
ONNX Runtime's fp32 NCHWc convolutions, and the int8 recogniser, 27 % faster, reads visibly worse
(diacritics dropped, letters lost: only 53-64 % of calibration lines decode as the fp32 model
decodes them, whichever of per-channel, reduced range, Conv-only or excluded depthwise/first/last
convolutions). Kept so the measurement can be repeated, e.g. on a CPU with VNNI.

What it does: weights per output channel (int8), activations per tensor (uint8) with MinMax ranges
calibrated on the committed fixed corpus (`tests/corpus/`), fed through kycd's pre-processing:

* detector: the image with its longer side scaled to 736 px, sides multiples of 32;
* recogniser: the text lines the fp32 detector finds on those images (axis-aligned crops of its
  boxes, grown as DB's unclip does), 48 px high.

The model is first upgraded to opset 13 (per-channel DequantizeLinear) and run through ONNX
Runtime's non-CPU-specific fusions (a Conv's bias Add, GELU, layer norm; not Conv+activation,
which the quantiser would leave in float); only residual Adds are quantised besides Conv/MatMul.
Built to be reproducible byte for byte, so that fetch.sh could pin its outputs: committed inputs,
pinned Pillow/ONNX Runtime, and every calibrated range rounded outwards to a 2^(1/8) grid (tiny
values to 0), which absorbs last-bit differences between CPUs' float kernels (two runs on one
machine give the same sha256; not checked across CPUs, since nothing pins the outputs).

Usage (the fetch venv plus pillow==13.0.0):
quantize_ocr.py CORPUS_DIR DETECTOR.onnx DETECTOR_INT8.onnx RECOGNIZER.onnx RECOGNIZER_INT8.onnx
"""

import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import version_converter
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.calibrate import TensorData, TensorsData, create_calibrator
from onnxruntime.quantization.calibrate import save_tensors_data
from PIL import Image

DETECTOR_SIDE = 736
LINE_HEIGHT = 48
MAX_LINE_WIDTH = 48 * 40
THRESHOLD = 0.3
BOX_THRESHOLD = 0.5
UNCLIP = 2.0
# Calibration lines per image, at most (the longest ones are not favoured: a fixed stride).
LINES_PER_IMAGE = 12
GRID_STEPS_PER_OCTAVE = 8
OPSET = 13
OP_TYPES = ["Conv", "MatMul", "Add"]
REDUCE_RANGE = False
CALIBRATION = CalibrationMethod.MinMax


def normalized(image: Image.Image) -> np.ndarray:
    """[3, H, W] float32, BGR, (x / 127.5 - 1) as kycd feeds the PaddleOCR models."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)
    return (pixels[:, :, ::-1].transpose(2, 0, 1) / np.float32(127.5) - np.float32(1.0)).copy()


def detector_input(image: Image.Image) -> np.ndarray:
    width, height = image.size
    ratio = min(DETECTOR_SIDE / max(width, height), 1.0)
    size = tuple(max(1, round(side * ratio / 32)) * 32 for side in (width, height))
    return normalized(image.resize(size, Image.Resampling.BILINEAR))[None]


def components(mask: np.ndarray) -> list[tuple[int, int, int, int, list]]:
    """4-connected regions of a boolean mask: (x0, y0, x1, y1, pixels), scanned in row order."""
    height, width = mask.shape
    seen = np.zeros_like(mask)
    found = []
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        stack, pixels = [(int(y0), int(x0))], []
        while stack:
            y, x = stack.pop()
            pixels.append((y, x))
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        ys = [p[0] for p in pixels]
        xs = [p[1] for p in pixels]
        found.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1, pixels))
    return found


def line_crops(image: Image.Image, probabilities: np.ndarray) -> list[Image.Image]:
    """Axis-aligned crops of the detector's text boxes, grown as DB's unclip grows them."""
    map_height, map_width = probabilities.shape
    sx, sy = image.width / map_width, image.height / map_height
    crops = []
    for x0, y0, x1, y1, pixels in components(probabilities > THRESHOLD):
        w, h = x1 - x0, y1 - y0
        if min(w, h) < 3:
            continue
        if np.mean([probabilities[p] for p in pixels]) < BOX_THRESHOLD:
            continue
        grow = w * h * UNCLIP / (2 * (w + h))
        box = (
            max(0, math.floor((x0 - grow) * sx)),
            max(0, math.floor((y0 - grow) * sy)),
            min(image.width, math.ceil((x1 + grow) * sx)),
            min(image.height, math.ceil((y1 + grow) * sy)),
        )
        crop = image.crop(box)
        if crop.height > 1.5 * crop.width:
            crop = crop.transpose(Image.Transpose.ROTATE_90)
        crops.append(crop)
    stride = max(1, len(crops) // LINES_PER_IMAGE)
    return crops[::stride][:LINES_PER_IMAGE]


def recognizer_input(line: Image.Image) -> np.ndarray:
    ratio = line.width / max(line.height, 1)
    width = min(max(1, math.ceil(LINE_HEIGHT * ratio)), MAX_LINE_WIDTH)
    return normalized(line.resize((width, LINE_HEIGHT), Image.Resampling.BILINEAR))[None]


class Feed(CalibrationDataReader):
    def __init__(self, name: str, tensors: list[np.ndarray]):
        self.items = iter([{name: t} for t in tensors])

    def get_next(self):
        return next(self.items, None)


def session(path: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def on_grid(value: float, scale: float) -> float:
    """`value` rounded away from zero to the next 2^(k/8); 0 when tiny next to the range."""
    if abs(value) <= 1e-3 * scale:
        return 0.0
    exponent = math.ceil(math.log2(abs(value)) * GRID_STEPS_PER_OCTAVE - 1e-9)
    return math.copysign(2.0 ** (exponent / GRID_STEPS_PER_OCTAVE), value)


def calibrated_ranges(model: str, name: str, tensors: list[np.ndarray], work: Path) -> Path:
    """MinMax ranges of every tensor over `tensors`, on the grid, saved as a calibration cache."""
    calibrator = create_calibrator(
        Path(model),
        augmented_model_path=str(work / "augmented.onnx"),
        calibrate_method=CALIBRATION,
        providers=["CPUExecutionProvider"],
    )
    # A few inputs per call (each call merges its ranges into the running ones): all of the
    # detector's activations for every calibration image would not fit in memory.
    for start in range(0, len(tensors), 4):
        calibrator.collect_data(Feed(name, tensors[start : start + 4]))
    measured = calibrator.compute_data()
    rounded = {}
    for tensor, data in measured.items():
        low, high = float(np.min(data.range_value[0])), float(np.max(data.range_value[1]))
        span = max(abs(low), abs(high))
        rounded[tensor] = TensorData(
            lowest=np.array(on_grid(low, span), dtype=np.float32),
            highest=np.array(on_grid(high, span), dtype=np.float32),
        )
    cache = work / "ranges.json"
    save_tensors_data(TensorsData(CALIBRATION, rounded), cache)
    return cache


def quantize(model: str, out: str, name: str, tensors: list[np.ndarray]) -> None:
    with tempfile.TemporaryDirectory(prefix="kycd-quant.") as work:
        # Per-channel DequantizeLinear (its `axis`) needs opset 13; the PaddleOCR exports are 11.
        upgraded = str(Path(work) / "opset13.onnx")
        onnx.save(version_converter.convert_version(onnx.load(model), OPSET), upgraded)
        # ONNX Runtime's fusions first (a convolution's bias Add into the Conv, GELU, layer
        # norm), so the quantised graph keeps them: no float Add between every pair of int8
        # convolutions, one kernel per GELU. Not the CPU-specific level (NCHWc layouts).
        model = str(Path(work) / "fused.onnx")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = model
        # A Conv fused with its activation is a FusedConv, which the quantiser leaves in float.
        ort.InferenceSession(
            upgraded,
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=["ConvActivationFusion"],
        )
        cache = calibrated_ranges(model, name, tensors, Path(work))
        # Only the residual Adds (two activations) are worth int8; an Add with a constant
        # belongs to a GELU or a layer norm, which ONNX Runtime fuses into one float kernel.
        graph = onnx.load(model).graph
        constants = {t.name for t in graph.initializer}
        constants |= {o for n in graph.node if n.op_type == "Constant" for o in n.output}
        excluded = [
            node.name
            for node in graph.node
            if node.op_type == "Add" and any(i in constants for i in node.input)
        ]
        quantize_static(
            model,
            out,
            calibration_data_reader=None,
            calibration_cache_path=cache,
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            reduce_range=REDUCE_RANGE,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=OP_TYPES,
            nodes_to_exclude=excluded,
            calibrate_method=CALIBRATION,
        )
    print(f"{out}: int8 QDQ, calibrated on {len(tensors)} inputs")


def main(corpus: str, detector: str, detector_out: str, recognizer: str, recognizer_out: str):
    images = [
        Image.open(path).convert("RGB")
        for path in sorted(Path(corpus).iterdir())
        if path.suffix in (".png", ".jpg")
    ]
    if not images:
        sys.exit(f"{corpus}: no calibration images")
    detect = session(detector)
    (input_name,) = [i.name for i in detect.get_inputs()]
    detector_inputs, lines = [], []
    for image in images:
        tensor = detector_input(image)
        detector_inputs.append(tensor)
        probabilities = detect.run(None, {input_name: tensor})[0][0, 0]
        lines.extend(recognizer_input(crop) for crop in line_crops(image, probabilities))
    quantize(detector, detector_out, input_name, detector_inputs)
    (rec_input,) = [i.name for i in session(recognizer).get_inputs()]
    quantize(recognizer, recognizer_out, rec_input, lines)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
