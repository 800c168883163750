"""Benchmark: builds of synthetic corpora at several sizes (issue 6).

For each size: full builds on 1 and on N workers (wall time, articles/s, peak memory of the build's process tree as
the sum of proportional set sizes), one underthesea word_tokenize pass over the same bodies in the same run (the
unavoidable segmentation work), a rebuild with nothing changed, and a rebuild after 1% of the files changed or were
added: by `dashboard build` in a fresh process, and by a running `dashboard watch`. Each build runs in its own
process, so peak memory is that build's alone. Everything is measured once per round, --repeat rounds (default 3;
one for --parallel-only sizes): a ratio (speedup, build / segmentation, 1% rebuild / full build) is taken within
each round and the median reported, since this shared machine's speed drifts over a longer run; a time is the
fastest round's. Results are printed as Markdown and saved to benchmarks/results/build_scale.json, with every
round's figures.

    python benchmarks/build_scale.py --sizes 1000 10000 [--workers 2]
    python benchmarks/build_scale.py --sizes 100000 --parallel-only 100000   # about 20 minutes here
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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


def _watched_rebuild(raw: Path, out: Path, workers: int, change: Callable[[], None]) -> tuple[float, float, float]:
    """(seconds, peak MB, MB at rest) of one rebuild by `dashboard watch` after `change`.

    A watcher is started on the built corpus (its first rebuild finds nothing changed), `change` is made, and the
    watcher's own timing of the rebuild that follows is read from its output: from the start of the rebuild to the
    tables in place. The wait between the change and the watcher's next look (its --interval, twice: it waits for
    the folder to stay still) is not counted; nor is its first rebuild, which loads the models and starts the
    workers. The peak is the watcher's process tree's during the rebuild; at rest, what the watcher holds a second
    after it, waiting for the next change."""
    command = [sys.executable, "-m", "dashboard", "watch", "--input", str(raw), "--output", str(out),
               "--workers", str(workers), "--interval", "0.2"]
    child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        def rebuilt() -> str:
            for line in child.stdout:  # "rebuilt in S s: ..." or "rebuild failed ..." (`watch.Rebuild.line`)
                if line.startswith("rebuild failed"):
                    raise SystemExit(f"watched rebuild failed: {line}")
                if line.startswith("rebuilt in "):
                    return line
            raise SystemExit(f"the watcher stopped: {command}")

        rebuilt()
        peak, done = [0.0], threading.Event()

        def sample() -> None:
            while not done.wait(0.2):  # as for the builds: sampling costs the sampled process time
                peak[0] = max(peak[0], _tree_memory_mb(child.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        change()
        line = rebuilt()
        done.set()
        sampler.join()
        time.sleep(1.0)
        return float(line.split()[2]), peak[0], _tree_memory_mb(child.pid)
    finally:
        child.terminate()
        child.wait()


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


def run(size: int, workers: int, seed: int, work: Path, parallel_only: bool = False, repeat: int = 3) -> dict:
    """Measure one corpus size. Each round measures everything once, in this order: a full build on 1 worker, the
    segmentation pass over its bodies, a full build on `workers`, a rebuild with nothing changed, a rebuild after a
    1% change (a different 1% each round). A ratio is taken within a round, between measurements minutes apart,
    and the median over rounds is reported: this machine's speed drifts by 10-20% over a longer run. Times are the
    fastest of the rounds (its noise only ever adds time); memory the largest peak."""
    raw, out = work / f"raw-{size}", work / f"out-{size}"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(work / ".cache", ignore_errors=True)
    generate(raw, size, seed)
    warm = work / "warm-up"  # compile the code and read the models once, so the first measured build is not penalised
    shutil.rmtree(warm, ignore_errors=True)
    generate(warm / "raw", 20, seed + 99)
    _timed_build(warm / "raw", warm / "out", 1, full=True)
    rounds, at_rest = [], []  # at rest: the watcher's memory between rebuilds (MB)
    for i in range(repeat):
        one = _timed_build(raw, out, 1, full=True) if not parallel_only else (float("nan"), float("nan"))
        # (seconds, peak MB) like the builds; the pass runs in this process, so it has no peak of its own
        segmentation = (_segmentation_pass(out) if not parallel_only else float("nan"), float("nan"))
        many = _timed_build(raw, out, workers, full=True)
        unchanged = _timed_build(raw, out, workers, full=False)  # all from the cache
        _touch_one_percent(raw, size, seed + 1000 * i)
        incremental = _timed_build(raw, out, workers, full=False)
        *watched, resting = _watched_rebuild(raw, out, workers,
                                              lambda: _touch_one_percent(raw, size, seed + 1000 * i + 500))
        at_rest.append(resting)
        rounds.append({"one": one, "segmentation": segmentation, "many": many, "unchanged": unchanged,
                       "incremental": incremental, "watched": watched})

    def fastest(key: str) -> float:
        return min(r[key][0] for r in rounds)

    def peak(key: str) -> float:
        return max(r[key][1] for r in rounds)

    def median_ratio(a: str, b: str) -> float | None:
        ratios = [r[a][0] / r[b][0] for r in rounds]
        return None if any(x != x for x in ratios) else round(statistics.median(ratios), 3)

    def seconds(value: float) -> float | None:
        return None if value != value else round(value, 1)  # NaN: not measured

    def megabytes(value: float) -> int | None:
        return None if value != value else round(value)

    return {"articles": size, "workers": workers, "rounds": repeat,
            "build_1_worker_s": seconds(fastest("one")), "build_n_workers_s": seconds(fastest("many")),
            "speedup": median_ratio("one", "many"), "articles_per_s": round(size / fastest("many"), 1),
            "peak_mb_1_worker": megabytes(peak("one")), "peak_mb_n_workers": megabytes(peak("many")),
            "segmentation_pass_s": seconds(fastest("segmentation")),
            "build_over_segmentation": median_ratio("one", "segmentation"),
            "rebuild_unchanged_s": seconds(fastest("unchanged")), "incremental_1pct_s": seconds(fastest("incremental")),
            "incremental_share": median_ratio("incremental", "many"),
            "watched_1pct_s": round(fastest("watched"), 2), "watched_share": median_ratio("watched", "many"),
            "watched_peak_mb": megabytes(peak("watched")), "watched_at_rest_mb": megabytes(max(at_rest)),
            "rounds_s": [{k: round(v[0], 2) for k, v in r.items() if v[0] == v[0]} for r in rounds]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of measurements (ratios: the median of the rounds' ratios; times: the fastest)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    parser.add_argument("--parallel-only", type=int, nargs="*", default=[],
                        help="sizes measured on N workers only (no 1-worker build, no segmentation pass): for 100k")
    args = parser.parse_args()
    rows = [run(size, args.workers, args.seed, args.work, parallel_only=size in args.parallel_only,
                repeat=1 if size in args.parallel_only else args.repeat) for size in args.sizes]
    keys = [k for k in rows[0] if k != "rounds_s"]
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
