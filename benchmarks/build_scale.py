"""Benchmark: builds of synthetic corpora at several sizes (issue 6).

For each size: full builds on 1 and on N workers (wall time, articles/s, peak memory of the build's process tree as
the sum of proportional set sizes), one underthesea word_tokenize pass over the same bodies in the same run (the
unavoidable segmentation work), a rebuild with nothing changed, and a rebuild after 1% of the files changed or were
added. Each build runs in its own process, so peak memory is that build's alone. Each measurement runs --repeat
times (default 2; once for --parallel-only sizes) and the fastest counts: this machine is shared, and its noise only
ever adds time. Results are printed as Markdown and saved to benchmarks/results/build_scale.json.

    python benchmarks/build_scale.py --sizes 1000 10000 [--workers 2]
    python benchmarks/build_scale.py --sizes 100000 --parallel-only 100000   # about 20 minutes here
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
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from benchmarks.generate_corpus import article, generate  # noqa: E402


def _tree_memory_mb(root: int) -> float:
    """Memory of a process and all its descendants (read from /proc), in MB: the sum of their proportional set sizes,
    so pages that forked workers share with their parent (the models, the reference data) count once, not once per
    process as summed resident sizes would."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def _timed_build(raw: Path, out: Path, workers: int, full: bool) -> tuple[float, float]:
    """(seconds, peak MB of the build's whole process tree, sampled every 0.2 s) for one `dashboard build` in a fresh
    process: the parent and its worker processes together. The time is taken when the build exits (a thread samples
    the memory meanwhile), so sampling neither delays nor rounds it."""
    command = [sys.executable, "-m", "dashboard", "build", "--input", str(raw), "--output", str(out),
               "--workers", str(workers), "--quiet"] + (["--full"] if full else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL)
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_memory_mb(child.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    child.wait()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"build failed: {command}")
    return elapsed, peak[0]


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


def _best(measure, repeat: int) -> tuple[float, float]:
    """The shortest time of `repeat` runs of `measure` (this shared machine's noise only ever adds time) and the
    largest peak memory among them."""
    runs = [measure(i) for i in range(repeat)]
    return min(t for t, _ in runs), max(mb for _, mb in runs)


def run(size: int, workers: int, seed: int, work: Path, parallel_only: bool = False, repeat: int = 2) -> dict:
    raw, out = work / f"raw-{size}", work / f"out-{size}"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(work / ".cache", ignore_errors=True)
    generate(raw, size, seed)
    warm = work / "warm-up"  # compile the code and read the models once, so the first measured build is not penalised
    shutil.rmtree(warm, ignore_errors=True)
    generate(warm / "raw", 20, seed + 99)
    _timed_build(warm / "raw", warm / "out", 1, full=True)
    one_s = one_mb = segmentation_s = float("nan")
    if not parallel_only:
        one_s, one_mb = _best(lambda _: _timed_build(raw, out, 1, full=True), repeat)
    many_s, many_mb = _best(lambda _: _timed_build(raw, out, workers, full=True), repeat)
    if not parallel_only:
        segmentation_s, _ = _best(lambda _: (_segmentation_pass(out), 0.0), repeat)
    unchanged_s, _ = _best(lambda _: _timed_build(raw, out, workers, full=False), repeat)  # all from the cache

    def one_percent(i: int) -> tuple[float, float]:  # a different 1% each time
        _touch_one_percent(raw, size, seed + 1000 * i)
        return _timed_build(raw, out, workers, full=False)
    incremental_s, _ = _best(one_percent, repeat)

    def ratio(a: float, b: float) -> float | None:
        return None if a != a or b != b else round(a / b, 2)  # NaN: not measured
    return {"articles": size, "workers": workers, "repeat": repeat,
            "build_1_worker_s": None if one_s != one_s else round(one_s, 1),
            "build_n_workers_s": round(many_s, 1), "speedup": ratio(one_s, many_s),
            "articles_per_s": round(size / many_s, 1), "peak_mb_1_worker": None if one_mb != one_mb else round(one_mb),
            "peak_mb_n_workers": round(many_mb),
            "segmentation_pass_s": None if segmentation_s != segmentation_s else round(segmentation_s, 1),
            "build_over_segmentation": ratio(one_s, segmentation_s),
            "rebuild_unchanged_s": round(unchanged_s, 1),
            "incremental_1pct_s": round(incremental_s, 1), "incremental_share": round(incremental_s / many_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each measurement; the fastest counts (not for --parallel-only sizes)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    parser.add_argument("--parallel-only", type=int, nargs="*", default=[],
                        help="sizes measured on N workers only (no 1-worker build, no segmentation pass): for 100k")
    args = parser.parse_args()
    rows = [run(size, args.workers, args.seed, args.work, parallel_only=size in args.parallel_only,
                repeat=1 if size in args.parallel_only else args.repeat) for size in args.sizes]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    results = PROJECT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    target = results / "build_scale.json"
    earlier = {r["articles"]: r for r in json.loads(target.read_text(encoding="utf-8"))} if target.exists() else {}
    earlier.update({r["articles"]: r for r in rows})  # a run of some sizes keeps the others' last results
    target.write_text(json.dumps([earlier[k] for k in sorted(earlier)], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
