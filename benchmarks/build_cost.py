"""Benchmark: full build time on a corpus, beside one underthesea word_tokenize pass over the same bodies.

The ratio full build ÷ segmentation pass is the pipeline's overhead over the unavoidable segmentation work. The
build's own segmentation (`dashboard.pipeline.segment`, the same words) is timed over the same lines too, each round
in a fresh process, so its tables start empty as in a build.

    python benchmarks/build_cost.py [--input data/raw] [--repeat 3] [--workers 1]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
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
    ours = [_segment_pass(out / "articles.parquet") for _ in range(args.repeat)]
    build_s, seg_s = statistics.median(builds), statistics.median(passes)
    chars = sum(len(b) for b in bodies)
    print(f"corpus: {summary.articles} articles, {chars / 1000:.0f}k characters of body, workers={args.workers}")
    print(f"| measure | median of {args.repeat} |\n|---|---|")
    print(f"| full build | {build_s:.2f} s ({summary.articles / build_s:.0f} articles/s) |")
    print(f"| one word_tokenize pass over the bodies | {seg_s:.2f} s |")
    print(f"| the build's segmentation (`segment`) over the same lines | {statistics.median(ours):.2f} s |")
    print(f"| full build ÷ segmentation pass | {build_s / seg_s:.2f} |")
    print(f"| rebuild with nothing changed (extraction cache) | {statistics.median(rebuilds):.2f} s |")


_SEGMENT_PASS = """
import sys, time
import pyarrow.parquet as pq
from dashboard.pipeline.segment import segment
segment(["khởi động mô hình"])  # load the model outside the timing
bodies = pq.read_table(sys.argv[1], columns=["body"]).column("body").to_pylist()
started = time.perf_counter()
for body in bodies:
    segment([line for line in body.split("\\n") if line.strip()])
print(time.perf_counter() - started)
"""


def _segment_pass(articles: Path) -> float:
    """Seconds for `segment` over every body, an article's lines at a time, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _SEGMENT_PASS, str(articles)], cwd=PROJECT, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
