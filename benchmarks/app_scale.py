"""Benchmark: the dashboard at 100k, 1M and 10M mention rows, beside bare DuckDB on the same Parquet files.

For each size it generates synthetic processed tables (benchmarks/scale_tables.py, cached under --work), then in a
fresh process per size:
- cold start: from process start to the overview rendered and then the first chart (the timeline page);
- every interaction, run through the real entry file with Streamlit's AppTest (the script run a browser triggers,
  server side): page switches, filter changes (date range, conference, official), an official drill-down, the
  keyword heatmap; median and worst of --runs;
- the store's time: the time spent in the store's aggregate methods during the rerun (its DuckDB queries, the
  per-filter selections they create, and the shaping of their results), and which aggregates the rerun computed;
- the bare DuckDB queries for the same aggregates: each aggregate the rerun computed, as a bare query straight on the
  contract Parquet tables (benchmarks/bare_queries.py: no serving aggregates, no tables held in memory; the test
  suite checks they give the store's answers), summed. The app's store must stay within 2x of it;
- the process's memory (RSS) after every interaction, before the bare queries.

    python benchmarks/app_scale.py [--sizes 100000 1000000 10000000] [--runs 5] [--work /tmp/app-scale]

Prints a Markdown table and writes benchmarks/results/app_scale.json.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

STARTED = time.perf_counter()
PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
ENTRY = str(PROJECT / "streamlit_app.py")
RESULTS = PROJECT / "benchmarks" / "results" / "app_scale.json"
STORE_TIME = [0.0]  # seconds spent in the store's aggregate methods during the current rerun
CALLS: list[tuple[str, tuple, dict]] = []  # the aggregates computed (not answered from the store's cache) meanwhile


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _timed(action, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        out.append((time.perf_counter() - started) * 1000)
    return out


def child(directory: Path, runs: int) -> dict:
    """Everything measured for one corpus, in this (fresh) process."""
    os.environ["DASHBOARD_PROCESSED_DIR"] = str(directory)
    from streamlit.testing.v1 import AppTest

    from benchmarks.bare_queries import AGGREGATES, bare_query
    from dashboard.store import Store, _memo

    depth = [0]
    for method in AGGREGATES:  # each aggregate method, still memoised, now records its computations and their time
        def recording(self, *args, _computed=getattr(Store, method).__wrapped__, **kwargs):
            CALLS.append((_computed.__name__, args, kwargs))
            depth[0] += 1
            started = time.perf_counter()
            try:
                return _computed(self, *args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # an aggregate computed inside another (the summary's counts) is timed with it
                    STORE_TIME[0] += time.perf_counter() - started
        functools.update_wrapper(recording, getattr(Store, method).__wrapped__)
        setattr(Store, method, _memo(recording))

    at = AppTest.from_file(ENTRY, default_timeout=600)
    at.run()
    assert not at.exception, at.exception
    first_page = time.perf_counter() - STARTED
    at.switch_page("dashboard/app/app_pages/timeline.py").run()
    first_chart = time.perf_counter() - STARTED
    assert at.get("plotly_chart"), "the timeline drew no chart"

    from dashboard.app.data import get_store

    store = get_store()
    store.load_facts()  # what the background thread does after the first page
    options = store.options()
    lo, hi = options["span"]
    times: dict[str, list[float]] = {}
    store_ms: dict[str, list[float]] = {}
    computed: dict[str, list[list]] = {}

    def measure(name: str, prepare, action) -> None:
        """Time `action` (a rerun) `runs` times; `prepare(i)` sets up run i untimed. Also keeps how much of each
        rerun was spent in the store's aggregate methods, and which aggregates it computed."""
        for i in range(runs):
            prepare(i)
            STORE_TIME[0] = 0.0
            CALLS.clear()
            started = time.perf_counter()
            action(i)
            times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            store_ms.setdefault(name, []).append(STORE_TIME[0] * 1000)
            computed.setdefault(name, []).append(list(CALLS))
            assert not at.exception, (name, at.exception)

    def cold(_i):  # a page switch is measured without the store's result cache: the first visit with these filters
        store._results.clear()

    def page(name: str):
        return lambda _i: at.switch_page(f"dashboard/app/app_pages/{name}.py").run()

    for name in ("overview", "timeline", "officials", "provinces", "keywords", "articles"):
        measure(name, cold, page(name))

    # Filter changes: every run asks for filters not seen before (a new date range, conference or official).
    def reset(_i):
        at.date_input(key="f_dates_widget").set_value((lo, hi))
        at.multiselect(key="f_conferences").set_value([])
        at.multiselect(key="f_officials").set_value([]).run()

    page("overview")(0)
    start, end = date(lo.year + (hi.year - lo.year) // 3, 3, 1), date(hi.year - 1, 6, 30)
    measure("filter: date range", reset, lambda i: at.date_input(key="f_dates_widget").set_value(
        (start + timedelta(days=i), end)).run())
    measure("filter: conference", reset, lambda i: at.multiselect(key="f_conferences").set_value(
        [options["conferences"][-1 - i]]).run())
    measure("filter: official", reset, lambda i: at.multiselect(key="f_officials").set_value(
        [options["officials"][1 + i]]).run())
    reset(0)

    page("officials")(0)
    measure("official drill-down", lambda i: None, lambda i: at.selectbox(key="off_focus").set_value(
        options["officials"][1 + i]).run())

    page("keywords")(0)
    measure("keyword heatmap", lambda i: None, lambda i: at.date_input(key="f_dates_widget").set_value(
        (start + timedelta(days=i), hi)).run())
    rss = _rss_mb()  # the app's memory, before the bare queries below grow DuckDB's buffers in this process
    import duckdb

    con = duckdb.connect()
    bare_cache: dict[str, float] = {}

    def bare_ms(method: str, args: tuple, kwargs: dict) -> float:
        """Median of three runs of the aggregate's bare query, after one untimed run (DuckDB reads the Parquet
        footers once per connection, as the store does)."""
        sql, params = bare_query(directory, method, args, kwargs)
        key = repr((sql, params))
        if key not in bare_cache:
            con.execute(sql, params).fetchall()
            bare_cache[key] = statistics.median(_timed(lambda: con.execute(sql, params).fetchall(), 3))
        return bare_cache[key]

    bare = {name: [sum(bare_ms(*call) for call in calls) for calls in per_run] for name, per_run in computed.items()}
    sizes = json.loads((directory / "build.json").read_text())
    return {"sizes": {k: sizes[k] for k in ("articles", "mentions", "provinces", "keywords")},
            "cold_first_page_s": first_page, "cold_first_chart_s": first_chart, "rss_mb": rss,
            "app_ms": {k: [statistics.median(v), max(v)] for k, v in times.items()},
            "store_ms": {k: statistics.median(v) for k, v in store_ms.items()},
            "bare_duckdb_ms": {k: statistics.median(v) for k, v in bare.items()},
            "aggregates": {k: sorted({call[0] for calls in v for call in calls}) for k, v in computed.items()}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/app-scale"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    from benchmarks.scale_tables import generate

    results = {}
    for size in args.sizes:
        directory = args.work / f"mentions-{size}"
        if not (directory / "build.json").exists():
            started = time.perf_counter()
            generate(directory, size)
            print(f"generated {size:,} mention rows in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        out = subprocess.run([sys.executable, __file__, "--child", str(directory), "--runs", str(args.runs)],
                             capture_output=True, text=True, check=True)
        results[size] = json.loads(out.stdout.strip().splitlines()[-1])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print(report(results))


def report(results: dict) -> str:
    sizes = list(results)
    head = ("| interaction | " + " | ".join(f"{int(s):,} rows: rerun median (worst) · store · bare DuckDB, ms"
                                          for s in sizes) + " |")
    lines = [head, "|---|" + "---|" * len(sizes)]
    for name in results[sizes[0]]["app_ms"]:
        cells = []
        for s in sizes:
            median, worst = results[s]["app_ms"][name]
            ours, bare = results[s]["store_ms"][name], results[s]["bare_duckdb_ms"][name]
            cells.append(f"{median:.0f} ({worst:.0f}) · {ours:.0f} · {bare:.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| cold start: first page / first chart (s) | " + " | ".join(
        f"{results[s]['cold_first_page_s']:.1f} / {results[s]['cold_first_chart_s']:.1f}" for s in sizes) + " |")
    lines.append("| memory (RSS, MB) | " + " | ".join(f"{results[s]['rss_mb']:.0f}" for s in sizes) + " |")
    lines.append("| articles in corpus | " + " | ".join(f"{results[s]['sizes']['articles']:,}" for s in sizes) + " |")
    lines.append("")
    lines.append("Aggregates computed per interaction: " + "; ".join(
        f"{name}: {', '.join(methods)}" for name, methods in results[sizes[-1]]["aggregates"].items()))
    return "\n".join(lines)

if __name__ == "__main__":
    main()
