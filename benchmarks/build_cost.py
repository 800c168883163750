"""Benchmark: full build time on a corpus, beside one underthesea word_tokenize pass over the same bodies.

The ratio full build ÷ segmentation pass is the pipeline's overhead over the unavoidable segmentation work.

    python benchmarks/build_cost.py [--input data/raw] [--repeat 3] [--workers 1]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", type=Path, default=PROJECT / "data" / "raw")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    import pandas as pd
    from underthesea import word_tokenize

    from dashboard.pipeline.build import build

    word_tokenize("khởi động mô hình")  # load the model outside the timings
    builds, out = [], Path(tempfile.mkdtemp()) / "processed"
    for _ in range(args.repeat):
        started = time.perf_counter()
        summary = build(args.input, out, workers=args.workers, progress=False, incremental=False)
        builds.append(time.perf_counter() - started)
    build(args.input, out, workers=args.workers, progress=False)  # fill the extraction cache
    rebuilds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        build(args.input, out, workers=args.workers, progress=False)
        rebuilds.append(time.perf_counter() - started)
    bodies = pd.read_parquet(out / "articles.parquet")["body"].tolist()
    passes = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for body in bodies:
            for line in body.split("\n"):
                if line.strip():
                    word_tokenize(line)
        passes.append(time.perf_counter() - started)
    build_s, seg_s = statistics.median(builds), statistics.median(passes)
    chars = sum(len(b) for b in bodies)
    print(f"corpus: {summary.articles} articles, {chars / 1000:.0f}k characters of body, workers={args.workers}")
    print(f"| measure | median of {args.repeat} |\n|---|---|")
    print(f"| full build | {build_s:.2f} s ({summary.articles / build_s:.0f} articles/s) |")
    print(f"| one word_tokenize pass over the bodies | {seg_s:.2f} s |")
    print(f"| full build ÷ segmentation pass | {build_s / seg_s:.2f} |")
    print(f"| rebuild with nothing changed (extraction cache) | {statistics.median(rebuilds):.2f} s |")


if __name__ == "__main__":
    main()
