"""`dashboard watch`: one process that keeps the processed tables in step with the raw folder.

It builds once, then looks at the folder every few seconds and rebuilds when a file was added, changed or removed
(once the folder has stayed the same for one look, so a batch being copied in is built once, not file by file).
A look costs one `stat` per folder, since a file added, removed or renamed changes its folder's modification time.
The whole folder is listed (a `stat` per file: most of a second per 100k files) only when a folder's time moved,
while a change settles, and otherwise after ten times the last listing's duration, to find files rewritten in
place (`Watcher.look`).
Every rebuild is the incremental build (`build.build`), with the same tables as a fresh `dashboard build`; what
the process adds is that nothing is loaded twice: the models, the reference tables and the worker processes
(`WarmPool`) stay up between rebuilds. A running dashboard shows the new tables at its next interaction (it
watches `build.json`).

A failed rebuild leaves the tables as they were (builds swap their folder in whole) and is reported; the watcher
goes on, and tries again when the folder changes or a minute later. A worker that died is replaced. When the code
or the reference data change, what it holds in memory is stale: it says so and starts afresh (`RESTART`).
"""
from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from dashboard import config
from dashboard.pipeline import build as builder
from dashboard.pipeline import segment

RESTART = "restart"
_CODE_DIR = Path(__file__).resolve().parent.parent  # the dashboard package


def listing(input_dir: Path, walked: list[tuple[str, int]] | None = None) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of every file a build would read under `input_dir`, in path order: what a rebuild
    would see. A file that vanishes while being listed is left out. `walked` receives the folders listed, with
    their modification times (`folder_times`)."""
    out = []
    for source, entry in builder._inputs(input_dir, walked):
        try:
            stat = entry.stat()
        except OSError:
            continue
        out.append((source, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def folder_times(folders: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """The same folders with their modification times now (-1: gone)."""
    out = []
    for folder, _ in folders:
        try:
            out.append((folder, os.stat(folder).st_mtime_ns))
        except OSError:
            out.append((folder, -1))
    return tuple(out)


def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of the package's code and reference data: what this process has loaded."""
    out = []
    for root, suffixes in ((_CODE_DIR, (".py",)), (config.REFERENCE_DIR, (".csv", ".tsv", ".txt"))):
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in suffixes:
                try:
                    stat = path.stat()
                except OSError:
                    continue
                out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def give_back_memory() -> None:
    """Return to the system what a rebuild freed but the allocators keep for later: Arrow's pool (mimalloc) and
    glibc's heap. A build in its own process ends and gives everything back; a watcher waits for the next change.
    At 100k articles its process tree held about 1.2 GB at rest without this, and 0.6 GB with it."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc only
    except (OSError, AttributeError):
        pass


@dataclass
class Rebuild:
    """One rebuild: its summary, or the error that stopped it (the tables stay as they were), and its seconds
    from the change being seen to the tables in place."""
    seconds: float
    summary: builder.BuildSummary | None = None
    error: str | None = None

    def line(self) -> str:
        if self.error is not None:
            return f"rebuild failed after {self.seconds:.2f} s, tables unchanged: {self.error}"
        return f"rebuilt in {self.seconds:.2f} s: {self.summary.line()}"


class Watcher:
    """The state a watching process keeps between rebuilds: the worker pool and the folder as last built."""

    def __init__(self, input_dir: Path, output_dir: Path, workers: int = 1,
                 max_bytes: int = config.MAX_FILE_BYTES):
        self.input_dir, self.output_dir = Path(input_dir), Path(output_dir)
        self.workers, self.max_bytes = max(1, workers), max_bytes
        self.built: tuple | None = None  # the listing the tables were last built from
        self.failed: tuple | None = None  # the listing the last rebuild failed on, if it failed
        self.relist_share = 10.0  # list the whole folder at most once every this many times a listing's duration
        self._seen: tuple | None = None  # the last listing, the folders it walked, and when to list anyway
        self._folders: tuple[tuple[str, int], ...] = ()
        self._listed: tuple[float, float] = (0.0, 0.0)  # when the last listing ended, and how long it took
        self._code = code_stamp()
        self._pool: builder.WarmPool | None = None

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def rebuild(self) -> Rebuild:
        """Build now, whatever changed. A build that fails is reported, not raised (an interrupt still is)."""
        started = time.perf_counter()
        seen = self.look(settling=True)
        if self._pool is None and self.workers > 1:
            # the workers are forked with the segmenter loaded: from the build's snapshot, as a build would
            segment.keep_snapshot(builder.segmenter_snapshot(builder.default_cache_dir(self.output_dir)))
            self._pool = builder.WarmPool(self.workers)
        try:
            summary = builder.build(self.input_dir, self.output_dir, workers=self.workers, max_bytes=self.max_bytes,
                                    progress=False, pool=self._pool)
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): new workers for the next try
            self.close()
            self.failed = seen
            outcome = Rebuild(time.perf_counter() - started, error=f"a worker process died ({exc})")
        except Exception as exc:  # noqa: BLE001  (a watcher outlives a bad moment: full disk, folder gone)
            self.failed = seen
            outcome = Rebuild(time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
        else:
            self.built, self.failed = seen, None
            outcome = Rebuild(time.perf_counter() - started, summary)
        give_back_memory()  # after the tables are in place; before the next change can be looked for
        return outcome

    def changed(self) -> bool:
        return listing(self.input_dir) != self.built

    def look(self, settling: bool = False) -> tuple:
        """The folder's listing, listed again only when it may have changed: a folder's modification time moved
        (a file added, removed or renamed in it), a change is `settling` (a file still being written changes its
        size, not its folder), or `relist_share` times the last listing's duration has passed, for files rewritten
        in place and filesystems whose folder times are coarse. On 100k files that is a `stat` per folder every
        look, and the whole listing about every 10 s rather than every look."""
        ended, took = self._listed
        if (not settling and self._seen is not None and time.monotonic() < ended + self.relist_share * took
                and folder_times(self._folders) == self._folders):
            return self._seen
        started = time.monotonic()
        walked: list[tuple[str, int]] = []
        self._seen = listing(self.input_dir, walked)
        self._folders = tuple(walked)
        ended = time.monotonic()
        self._listed = (ended, ended - started)
        return self._seen

    def stale(self) -> bool:
        """Whether the code or the reference data changed since this process loaded them."""
        return code_stamp() != self._code

    def run(self, interval: float = 2.0, report: Callable[[str], None] = print,
            stop: threading.Event | None = None, retry: float = 60.0) -> str | None:
        """Build, then rebuild after every change until `stop` is set (None), or until the code or the reference
        data change (`RESTART`: the caller starts a new process). A rebuild that failed is tried again when the
        folder changes, or after `retry` seconds (the disk may have been freed), not at every look."""
        stop = stop or threading.Event()
        retry_at = 0.0

        def rebuild() -> None:
            nonlocal retry_at
            outcome = self.rebuild()
            report(outcome.line())
            retry_at = time.monotonic() + retry if outcome.error is not None else 0.0

        rebuild()
        pending = None  # a changed listing seen at the last look, not yet still for a whole interval
        while not stop.wait(interval):
            if self.stale():
                report("the code or the reference data changed: restarting")
                return RESTART
            seen = self.look(settling=pending is not None)
            if seen == self.built or (seen == self.failed and time.monotonic() < retry_at):
                pending = None
            elif seen == pending:  # changed, and still since the last look
                rebuild()
                pending = None
            else:
                pending = seen
        return None


def restart_command(argv: list[str]) -> list[str]:
    """The command that starts this watcher again with the same arguments (`argv` without the program)."""
    import sys

    return [sys.executable, "-m", "dashboard", *argv]


def exec_again(argv: list[str]) -> None:
    """Replace this process with a new watcher (the same arguments), so new code and reference data are loaded."""
    command = restart_command(argv)
    os.execv(command[0], command)
