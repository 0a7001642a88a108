"""RapidOCR (Python, onnxruntime) on the same card images as examples/bench_ocr.rs.

Usage: python rapidocr_bench.py IMAGE_DIR ROUNDS  -> one JSON line {"p50_ms", "p95_ms", ...}
Runs RapidOCR 3.10.0 as shipped (PP-OCRv6 det/rec small + mobile cls, the same model files
kycd uses) with its default settings, decode included, after two warm-up reads.
"""
import json
import pathlib
import statistics
import sys
import time

from rapidocr import RapidOCR


def main():
    directory, rounds = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    images = sorted(directory.glob("*.jpg"))
    engine = RapidOCR(params={"Global.log_level": "error"})
    for path in images[:2]:
        engine(str(path))
    times, lines = [], 0
    for _ in range(rounds):
        for path in images:
            started = time.perf_counter()
            result = engine(str(path))
            times.append((time.perf_counter() - started) * 1000.0)
            lines += len(result.txts or ())
    times.sort()
    print(json.dumps({
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        "reads": len(times),
        "lines_per_read": lines / max(1, len(times)),
    }))


if __name__ == "__main__":
    main()
