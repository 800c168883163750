"""Benchmark: the dashboard at 100k, 1M and 10M mention rows, beside bare DuckDB on the same Parquet files.

For each size it generates synthetic processed tables (benchmarks/scale_tables.py, cached under --work), then in a
fresh process per size:
- cold start: from process start to the overview rendered and then the first chart (the timeline page);
- every interaction, run through the real entry file with Streamlit's AppTest (the script run a browser triggers,
  server side): page switches, filter changes (date range, conference, official), an official drill-down, the
  keyword heatmap; median and worst of --runs;
- the bare DuckDB query for the same aggregate, straight on the contract Parquet tables (no serving aggregates, no
  tables held in memory), the reference the app must stay within 2x of;
- the process's memory (RSS) after all of it.

    python benchmarks/app_scale.py [--sizes 100000 1000000 10000000] [--runs 5] [--work /tmp/app-scale]

Prints a Markdown table and writes benchmarks/results/app_scale.json.
"""
from __future__ import annotations

import argparse
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
QUERY_TIME = [0.0]  # seconds spent in the store's DuckDB queries during the current rerun


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _bare_queries(directory: Path, official: str, conference: str, start: date, end: date) -> dict[str, tuple[str, list]]:
    """Per interaction, the aggregate it shows computed straight from the contract tables."""
    def p(table: str) -> str:
        return f"read_parquet('{directory / (table + '.parquet')}')"
    dated = (f"(SELECT a.article_id, a.conference_id, a.duplicate_of IS NULL AS original, "
             f"coalesce(a.published, c.start) AS date FROM {p('articles')} a "
             f"LEFT JOIN {p('conferences')} c USING (conference_id))")
    top = f"SELECT name, count(*) AS mentions FROM {p('mentions')} GROUP BY name ORDER BY mentions DESC LIMIT 20"
    return {
        "overview": (top, []),
        "timeline": (f"SELECT conference_id, count(*) FROM {p('articles')} GROUP BY 1", []),
        "officials": (top, []),
        "provinces": (f"SELECT province, count(*) FILTER (WHERE participating), count(*) FROM {p('provinces')} "
                      f"GROUP BY 1", []),
        "keywords": (f"SELECT a.conference_id, k.term, sum(k.count) FROM {p('keywords')} k JOIN {dated} a "
                     f"USING (article_id) WHERE a.original GROUP BY ALL", []),
        "articles": (f"SELECT article_id, title FROM {p('articles')} ORDER BY published DESC LIMIT 1000", []),
        "filter: date range": (f"SELECT m.name, count(*) AS n FROM {p('mentions')} m JOIN {dated} a USING (article_id) "
                               f"WHERE a.date BETWEEN ? AND ? GROUP BY 1 ORDER BY n DESC LIMIT 20", [start, end]),
        "filter: conference": (f"SELECT m.name, count(*) AS n FROM {p('mentions')} m JOIN {dated} a USING (article_id) "
                               f"WHERE a.conference_id = ? GROUP BY 1 ORDER BY n DESC LIMIT 20", [conference]),
        "filter: official": (f"SELECT m.name, count(*) AS n FROM {p('mentions')} m WHERE m.article_id IN "
                             f"(SELECT article_id FROM {p('mentions')} WHERE name = ?) GROUP BY 1 ORDER BY n DESC "
                             f"LIMIT 20", [official]),
        "official drill-down": (f"SELECT date_trunc('month', a.date) AS month, m.role, count(*) FROM {p('mentions')} m "
                                f"JOIN {dated} a USING (article_id) WHERE m.name = ? GROUP BY ALL", [official]),
        "keyword heatmap": (f"SELECT a.conference_id, k.term, sum(k.count) FROM {p('keywords')} k JOIN {dated} a "
                            f"USING (article_id) WHERE a.original GROUP BY ALL", []),
    }


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

    from dashboard.store import Store

    timed_df = Store._df

    def counting_df(self, sql, params=None):
        started = time.perf_counter()
        try:
            return timed_df(self, sql, params)
        finally:
            QUERY_TIME[0] += time.perf_counter() - started
    Store._df = counting_df

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
    query_ms: dict[str, list[float]] = {}

    def measure(name: str, prepare, action) -> None:
        """Time `action` (a rerun) `runs` times; `prepare(i)` sets up run i untimed. Also keeps how much of each
        rerun was spent in DuckDB (the store's queries), from the instrumented Store._df."""
        for i in range(runs):
            prepare(i)
            QUERY_TIME[0] = 0.0
            started = time.perf_counter()
            action(i)
            times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            query_ms.setdefault(name, []).append(QUERY_TIME[0] * 1000)
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
    official, conference = options["officials"][1], options["conferences"][-1]

    import duckdb

    con = duckdb.connect()
    bare = {}
    for name, (sql, params) in _bare_queries(directory, official, conference, start, end).items():
        con.execute(sql, params).fetchall()
        bare[name] = _timed(lambda sql=sql, params=params: con.execute(sql, params).fetchall(), runs)
    sizes = json.loads((directory / "build.json").read_text())
    return {"sizes": {k: sizes[k] for k in ("articles", "mentions", "provinces", "keywords")},
            "cold_first_page_s": first_page, "cold_first_chart_s": first_chart, "rss_mb": _rss_mb(),
            "app_ms": {k: [statistics.median(v), max(v)] for k, v in times.items()},
            "query_ms": {k: statistics.median(v) for k, v in query_ms.items()},
            "bare_duckdb_ms": {k: statistics.median(v) for k, v in bare.items()}}


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
    head = ("| interaction | " + " | ".join(f"{int(s):,} rows: rerun median (worst) · its queries · bare DuckDB, ms"
                                          for s in sizes) + " |")
    lines = [head, "|---|" + "---|" * len(sizes)]
    for name in results[sizes[0]]["app_ms"]:
        cells = []
        for s in sizes:
            median, worst = results[s]["app_ms"][name]
            queries = results[s]["query_ms"][name]
            bare = results[s]["bare_duckdb_ms"].get(name)
            cells.append(f"{median:.0f} ({worst:.0f}) · {queries:.0f} · {bare:.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| cold start: first page / first chart (s) | " + " | ".join(
        f"{results[s]['cold_first_page_s']:.1f} / {results[s]['cold_first_chart_s']:.1f}" for s in sizes) + " |")
    lines.append("| memory (RSS, MB) | " + " | ".join(f"{results[s]['rss_mb']:.0f}" for s in sizes) + " |")
    lines.append("| articles in corpus | " + " | ".join(f"{results[s]['sizes']['articles']:,}" for s in sizes) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
