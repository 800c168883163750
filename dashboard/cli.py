"""Command line: `dashboard build`, `dashboard watch`, `dashboard schema` (also `python -m dashboard ...`)."""
from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
from pathlib import Path

from dashboard import config


def _corpus_arguments(command: argparse.ArgumentParser) -> None:
    """What `build` and `watch` both take: where the articles are, where the tables go, and how to build."""
    command.add_argument("--input", type=Path, default=config.RAW_DIR,
                         help="folder of raw articles (default: data/raw)")
    command.add_argument("--output", type=Path, default=config.PROCESSED_DIR,
                         help="folder for the processed tables (default: data/processed)")
    command.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    command.add_argument("--max-bytes", type=int, default=config.MAX_FILE_BYTES, help="reject files larger than this")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dashboard", description="Vietnam foreign-affairs press corpus tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the processed Parquet tables from raw articles")
    _corpus_arguments(build)
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--full", action="store_true",
                       help="ignore the extraction cache and extract every article again")
    build.add_argument("--engine", choices=["local", "dask"], default="local",
                       help="local processes, or a Dask cluster (needs --scheduler and the 'cluster' extra)")
    build.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    watch = sub.add_parser("watch", help="build, then rebuild whenever a file under the input folder changes")
    _corpus_arguments(watch)
    watch.add_argument("--interval", type=float, default=2.0,
                       help="seconds between looks at the input folder (default: 2)")
    sub.add_parser("schema", help="print the processed tables' columns as Markdown")
    args = parser.parse_args(argv)

    if args.command == "schema":
        from dashboard.pipeline.schema import markdown

        print(markdown())
        return 0
    if not args.input.is_dir():
        print(f"error: input folder {args.input} does not exist", file=sys.stderr)
        return 2
    if args.command == "watch":
        return _watch(args, argv if argv is not None else sys.argv[1:])
    from dashboard.pipeline.build import build as run_build

    if args.engine == "dask" and not args.scheduler:
        print("error: --engine dask needs --scheduler ADDRESS (e.g. tcp://scheduler:8786)", file=sys.stderr)
        return 2
    summary = run_build(args.input, args.output, workers=max(1, args.workers), max_bytes=args.max_bytes,
                        progress=not args.quiet, incremental=not args.full,
                        scheduler=args.scheduler if args.engine == "dask" else None)
    print(summary.line())
    return 0


def _watch(args: argparse.Namespace, argv: list[str]) -> int:
    from dashboard.pipeline import watch

    if args.interval <= 0:
        print("error: --interval must be positive", file=sys.stderr)
        return 2

    def terminate(signum, frame):  # a service manager's stop: as Ctrl+C, so the workers are stopped too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    print(f"watching {args.input} (every {args.interval:g} s; Ctrl+C stops)", flush=True)
    with watch.Watcher(args.input, args.output, workers=args.workers, max_bytes=args.max_bytes) as watcher:
        try:
            outcome = watcher.run(args.interval, report=lambda line: print(line, flush=True))
        except KeyboardInterrupt:
            print("stopped", flush=True)
            return 0
    if outcome == watch.RESTART:
        watch.exec_again(argv)
    return 0


def run() -> None:
    """The command's entry point (`dashboard`, `python -m dashboard`): `main`, then the process ends without the
    interpreter's teardown.

    By the time `main` returns, the tables are written and renamed into place and every thread has finished. All
    teardown would still do is free the modules' and the models' objects one by one: about 0.3 s, a tenth of a
    rebuild after a small change, waited for after the summary line. Exit handlers (libraries' clean-ups) still run,
    before this one, which is registered first and so runs last; buffered output is flushed.
    """
    status = [1]  # what an uncaught exception exits with; its traceback is printed before exit handlers run

    def leave() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status[0])

    atexit.register(leave)
    try:
        status[0] = main()
    except SystemExit as exit_:  # argparse: usage errors and --help
        status[0] = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        raise
    except KeyboardInterrupt:
        status[0] = 130
        raise
    sys.exit(status[0])
