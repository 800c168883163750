"""Benchmark: builds of synthetic corpora at several sizes (issue 6).

For each size: full build on 1 and on N workers (wall time, articles/s, peak memory of the build process tree),
one underthesea word_tokenize pass over the same bodies in the same run (the unavoidable segmentation work), and an
incremental rebuild after 1% of the files changed or were added. Each build runs in its own process, so peak memory
is that build's alone. Results are printed as Markdown and saved to benchmarks/results/build_scale.json.

    python benchmarks/build_scale.py --sizes 1000 10000 [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from benchmarks.generate_corpus import article, generate  # noqa: E402


def _timed_build(raw: Path, out: Path, workers: int, full: bool) -> tuple[float, float]:
    """(seconds, peak MB of the build's process tree) for one `dashboard build` in a fresh process."""
    command = [sys.executable, "-m", "dashboard", "build", "--input", str(raw), "--output", str(out),
               "--workers", str(workers), "--quiet"] + (["--full"] if full else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"build failed: {command}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports kB


def _segmentation_pass(out: Path) -> float:
    import pyarrow.parquet as pq
    from underthesea import word_tokenize

    word_tokenize("khởi động")
    bodies = pq.read_table(out / "articles.parquet", columns=["body"]).column("body").to_pylist()
    started = time.perf_counter()
    for body in bodies:
        for line in body.split("\n"):
            if line.strip():
                word_tokenize(line)
    return time.perf_counter() - started


def _touch_one_percent(raw: Path, count: int, seed: int) -> None:
    """Change 0.5% of the files and add 0.5% new ones."""
    rng = random.Random(seed + 1)
    files = sorted(raw.rglob("synthetic_*"))
    for path in rng.sample(files, max(1, count // 200)):
        # a changed article: new content of the same shape in the same file (appending a byte would break UTF-16)
        original = int(path.stem.rsplit("_", 1)[1])
        path.write_bytes(article(rng, original + 5 * count)[1])
    for index in range(count, count + max(1, count // 200)):
        name, data = article(rng, index)
        (raw / "added").mkdir(exist_ok=True)
        (raw / "added" / name).write_bytes(data)


def run(size: int, workers: int, seed: int, work: Path) -> dict:
    raw, out = work / f"raw-{size}", work / f"out-{size}"
    shutil.rmtree(raw, ignore_errors=True)
    generate(raw, size, seed)
    one_s, one_mb = _timed_build(raw, out, 1, full=True)
    many_s, many_mb = _timed_build(raw, out, workers, full=True)
    segmentation_s = _segmentation_pass(out)
    _timed_build(raw, out, workers, full=False)  # fill the extraction cache
    _touch_one_percent(raw, size, seed)
    incremental_s, incremental_mb = _timed_build(raw, out, workers, full=False)
    return {"articles": size, "workers": workers, "build_1_worker_s": round(one_s, 1),
            "build_n_workers_s": round(many_s, 1), "speedup": round(one_s / many_s, 2),
            "articles_per_s": round(size / many_s, 1), "peak_mb_1_worker": round(one_mb),
            "peak_mb_n_workers": round(many_mb), "segmentation_pass_s": round(segmentation_s, 1),
            "build_over_segmentation": round(one_s / segmentation_s, 2),
            "incremental_1pct_s": round(incremental_s, 1), "incremental_share": round(incremental_s / many_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    args = parser.parse_args()
    rows = [run(size, args.workers, args.seed, args.work) for size in args.sizes]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "build_scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
