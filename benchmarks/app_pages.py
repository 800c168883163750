"""Benchmark: server-side time to run each dashboard page on the sample corpus after the first load.

Runs the real entry file through Streamlit's AppTest (the same script run a browser triggers), first once to warm
the cached table load, then N times per page, and prints the median and worst time per page.

    python benchmarks/app_pages.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    from dashboard.app.registry import PAGES
    from dashboard.pipeline.build import build

    out = Path(tempfile.mkdtemp()) / "processed"
    summary = build(PROJECT / "data" / "raw", out, progress=False)
    os.environ["DASHBOARD_PROCESSED_DIR"] = str(out)
    at = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=120)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    print(f"corpus: {summary.articles} articles, {summary.mentions} mentions")
    print(f"first load (reads Parquet, fills the cache): {first * 1000:.0f} ms")
    print("| page | median ms | worst ms |\n|---|---|---|")
    for file, key, _icon, _url in PAGES:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            if file == PAGES[0][0]:
                at.switch_page(f"dashboard/app/app_pages/{file}").run()
            else:
                at.switch_page(f"dashboard/app/app_pages/{file}").run()
            times.append(time.perf_counter() - started)
            assert not at.exception, at.exception
        print(f"| {file.removesuffix('.py')} | {statistics.median(times) * 1000:.0f} | {max(times) * 1000:.0f} |")


if __name__ == "__main__":
    main()
