"""The orchestrator: the only code that reads raw files and writes processed tables.

A build reads every file under the input folder, extracts each article (in parallel), links near-duplicates and
writes the Parquet tables into a temporary folder beside the output, which then replaces the output folder in one
rename: an interrupted build never leaves half-written tables. Files that cannot be used go to `rejected` with their
reason and the rest of the corpus still builds. Output rows are sorted, so two builds of the same input give
identical tables.
"""
from __future__ import annotations

import gc
import hashlib
import json
from collections import deque
from itertools import islice, takewhile
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard import config, reference
from dashboard.pipeline import segment, serving
from dashboard.pipeline.conferences import Conference
from dashboard.pipeline.decode import RejectedFile
from dashboard.pipeline.duplicates import Verdicts, link_duplicates
from dashboard.pipeline.extract import extract_article
from dashboard.pipeline.rowstore import TABLES as ROWSTORE_TABLES
from dashboard.pipeline.rowstore import PAIRS_SCHEMA, RowStore, conference_from_json, rows_of, to_arrow
from dashboard.pipeline.rowstore import schema as rowstore_schema
from dashboard.pipeline.schema import TABLES, arrow_schema
from dashboard.pipeline.staged import staged_folder

if TYPE_CHECKING:
    import pandas as pd


CHUNK = 500  # articles whose rows become Arrow columns at once
POOL_MIN_FILES = 25  # per worker: below this, one process is faster than starting a pool
BATCHES_IN_FLIGHT = 3  # per worker
CONVERT_IN_WORKERS = 1000  # files: from this many, workers send Arrow columns (see `_PoolResults`)


@dataclass
class BuildSummary:
    articles: int
    rejected: int
    officials: int
    conferences: int
    mentions: int
    output: Path
    reused: int = 0

    def line(self) -> str:
        """One line for the command line (the app words its own, in the reader's language)."""
        reused = f", {self.reused} unchanged articles reused" if self.reused else ""
        return (f"{self.articles} articles, {self.rejected} rejected, {self.officials} officials, "
                f"{self.conferences} conferences ({self.mentions} mentions{reused}) -> {self.output}")


def list_inputs(input_dir: Path) -> list[str]:
    """Every file under `input_dir` except documentation and hidden files and folders, as paths relative to it
    (with "/"), in path order."""
    return [source for source, _ in _inputs(input_dir)]


def _inputs(input_dir: Path, walked: list[tuple[str, int]] | None = None) -> list[tuple[str, os.DirEntry]]:
    """`list_inputs` with each file's directory entry, which gives its full path and its `stat` without joining
    paths again (a tenth of a second per 100k files). Folders are walked as `os.walk` does: symbolic links to
    folders are not followed, and a folder that cannot be listed is skipped. `walked`, when given, receives each
    folder listed with its modification time, taken before it was listed."""
    out, folders = [], [(os.fspath(input_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            if walked is not None:
                walked.append((folder, os.stat(folder).st_mtime_ns))
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        if not entry.is_symlink():
                            folders.append((entry.path, prefix + entry.name + "/"))
                    elif entry.name not in config.IGNORED_NAMES:
                        out.append((prefix + entry.name, entry))
        except OSError:
            continue
    out.sort(key=lambda item: item[0])
    return out


def _sniff_kind(suffix: str, head: bytes) -> str | None:
    kind = config.ARTICLE_SUFFIXES.get(suffix.lower())
    if kind or suffix:
        return kind
    lowered = head[:512].lower()
    return "html" if b"<html" in lowered or b"<!doctype html" in lowered else "text"


def pipeline_fingerprint() -> str:
    """A hash of everything extraction depends on: the extraction code and the reference data. Changing either
    invalidates every cached article; changing only how the whole corpus is assembled or served does not."""
    digest = hashlib.sha1()
    roots = [Path(__file__).parent, config.REFERENCE_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".csv", ".tsv", ".txt") and path.name not in _NOT_EXTRACTION:
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


# whole-corpus steps and the watcher: they do not change what an article's extraction gives
_NOT_EXTRACTION = {"build.py", "serving.py", "watch.py"}


class _Task(NamedTuple):
    """A file to extract. `data` is carried for a cluster (no shared filesystem); locally the worker reads `path`."""
    data: bytes | None
    source: str
    kind: str
    key: str
    size: int
    mtime_ns: int
    path: str


def extract_one(data: bytes, source: str, kind: str):
    """Extract one article anywhere (a local process or a Dask worker): (rows, None) or (None, (reason, detail))."""
    try:
        return extract_article(data, source, kind), None
    except RejectedFile as exc:
        return None, (exc.reason, exc.detail)
    except Exception as exc:  # one broken article must not stop the corpus; its reason is kept
        if os.environ.get("DASHBOARD_DEBUG"):
            traceback.print_exc()
        return None, ("error", f"{type(exc).__name__}: {exc}")


def _extract_task(task: _Task):
    try:
        data = task.data if task.data is not None else Path(task.path).read_bytes()
    except OSError as exc:
        return None, ("unreadable", str(exc))
    return extract_one(data, task.source, task.kind)


def _extract_on_cluster(to_extract: list, scheduler: str):
    """(task, rows, problem) for each task, extracted on a Dask cluster (bytes are sent, so workers need no shared
    filesystem), in the order they finish."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        pending = {client.submit(extract_one, task.data, task.source, task.kind, pure=False): task
                   for task in to_extract}
        for future in as_completed(pending):
            yield (pending[future], *future.result())


def _rejection(task: _Task, problem: tuple[str, str] | None) -> list[dict]:
    return [] if problem is None else [{"source": task.source, "reason": problem[0], "detail": problem[1]}]


def _extract_batch(batch: list[_Task], convert: bool = True) -> tuple[dict[str, pa.Table] | list | None,
                                                                     list[dict], int]:
    """Extract a batch in a worker process: (its articles' rows as Arrow tables, or None; its rejected files; its
    number of files). Columns cross the process boundary as Arrow buffers, not as hundreds of small dicts per
    article to pickle and unpickle, and the parent, which shares the cores with the workers, only concatenates.
    Unless `convert` is False: then the rows come back as they are, `(key, size, mtime_ns, rows)` per article."""
    done, rejected = [], []
    for task in batch:
        rows, problem = _extract_task(task)
        if rows is not None:
            done.append((task.key, task.size, task.mtime_ns, rows))
        rejected.extend(_rejection(task, problem))
    if not convert:
        return done, rejected, len(batch)
    return (to_arrow(done) if done else None), rejected, len(batch)


def _in_pieces(results):
    """(task, rows, problem) of each article, extracted one at a time -> the pieces `_extract_batch` gives: a piece
    per article for its progress and rejection, and the rows as Arrow tables every CHUNK articles, so Python objects
    never pile up."""
    pending = []
    try:
        for task, rows, problem in results:
            if rows is not None:
                pending.append((task.key, task.size, task.mtime_ns, rows))
            tables = None
            if len(pending) >= CHUNK:
                tables, pending = to_arrow(pending), []
            yield tables, _rejection(task, problem), 1
        if pending:
            yield to_arrow(pending), [], 0
    finally:
        if hasattr(results, "close"):
            results.close()


def _extract_locally(to_extract: list, workers: int, pool: WarmPool | None = None):
    """Pieces of extracted rows (see `_extract_batch`), in `workers` processes when there is enough to share (a
    rebuild after a small change extracts its few files here: starting workers that load the models would cost
    more), or in `pool`'s workers, already started, whenever there is anything to extract. At most a few batches
    per worker are in flight, so finished rows never queue up in the parent the way `Executor.map`, which submits
    everything at once, lets them."""
    if pool is not None and to_extract:
        return _PoolResults(to_extract, pool.workers, pool)
    if not (workers > 1 and len(to_extract) >= POOL_MIN_FILES * workers):
        return _in_pieces((task, *_extract_task(task)) for task in to_extract)
    return _PoolResults(to_extract, workers)


def _start_warm_worker() -> None:
    """In a long-lived worker: Ctrl+C, which a terminal sends to every process of the job, is the parent's to
    handle (it stops the pool; the workers would otherwise each print a traceback). SIGTERM, which a service
    manager may send to every process of the service, ends a worker quietly, not through a handler the parent set
    for itself before forking. And a worker whose parent died without stopping it (killed) leaves too, instead of
    waiting forever on a queue whose other end it holds itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()

    def orphaned() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=orphaned, name="orphaned", daemon=True).start()


class WarmPool:
    """Worker processes that outlive a build, for a process that rebuilds again and again (`dashboard watch`).

    They are forked once, after the parent has loaded the models, the reference tables and pandas (`_warm_up`), so
    a rebuild's extraction starts at once in workers that hold all of it, instead of forking workers whose first
    articles pay for pages copied from the parent and caches filled from nothing. The parent's objects of that
    moment are frozen out of the collector for the pool's life (`_frozen_pool`). Workers convert their rows
    to Arrow themselves, however few: pandas is already theirs. Close it (or use it with `with`)."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self.executor = _frozen_pool(self.workers, convert=True, initializer=_start_warm_worker)
        try:
            # forked now, not by the first rebuild (a fork-started pool starts all its workers at the first task)
            wait([self.executor.submit(os.getpid) for _ in range(self.workers)])
        except BaseException:
            gc.unfreeze()
            raise

    def close(self) -> None:
        _stop_frozen_pool(self.executor)

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _PoolResults:
    """Extraction in a process pool: the first batches go out when this is made, their pieces (`_extract_batch`)
    come back in order as it is iterated, and `close` stops the pool (also when the results were never read).

    Workers convert their rows to Arrow only when there are at least CONVERT_IN_WORKERS files. pyarrow imports
    pandas the first time it converts Python objects (a sixth of a second); for a large build the parent imports it
    once before forking and the workers share it, while for a rebuild of a few files the parent converts their rows
    itself and imports pandas while the workers extract, off the build's serial path."""

    def __init__(self, to_extract: list, workers: int, warm: WarmPool | None = None):
        size = max(1, min(64, len(to_extract) // (workers * 8) or 1))
        self._batches = iter([to_extract[i:i + size] for i in range(0, len(to_extract), size)])
        self._warm = warm
        if warm is not None:  # workers started long ago, sharing pandas with the parent
            self._convert, self._pool = True, warm.executor
        else:
            self._convert = len(to_extract) >= CONVERT_IN_WORKERS
            self._pool = _frozen_pool(workers, self._convert)
        try:
            self._in_flight = deque((batch, self._submit(batch))
                                    for batch in islice(self._batches, BATCHES_IN_FLIGHT * workers))
        except BaseException:
            if warm is None:
                gc.unfreeze()
            raise

    def _submit(self, batch: list[_Task]):
        return self._pool.submit(_extract_batch, batch, self._convert)

    def __iter__(self):
        try:
            while self._in_flight:
                batch, future = self._in_flight.popleft()
                done, rejected, files = future.result()
                following = next(self._batches, None)
                if following is not None:
                    self._in_flight.append((following, self._submit(following)))
                if not self._convert:
                    done = to_arrow(done) if done else None
                yield done, rejected, files
        finally:
            self.close()

    def close(self) -> None:
        if self._warm is not None:  # the pool is not ours: only what this build still has queued is dropped
            for _, future in self._in_flight:
                future.cancel()
            wait([future for _, future in self._in_flight])
            self._in_flight.clear()
            return
        _stop_frozen_pool(self._pool)


def _frozen_pool(workers: int, convert: bool, initializer=None) -> ProcessPoolExecutor:
    """A process pool forked from this process once it holds what extraction needs (`_warm_up`). What it holds then
    (models, reference tables, patterns) lives as long as the pool: the collector stops scanning it (`gc.freeze`),
    and the workers' collections no longer write to (and so copy) the pages they share. Stop it with
    `_stop_frozen_pool`."""
    _warm_up(convert)  # before forking, so the workers share what it loads
    gc.freeze()
    try:
        return ProcessPoolExecutor(max_workers=workers, initializer=initializer)
    except BaseException:
        gc.unfreeze()
        raise


def _stop_frozen_pool(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(cancel_futures=True)
    gc.unfreeze()  # collected again from here on (extension types check at exit that theirs were)


_WARM_UP_TEXT = ("Sáng 14/12, Thủ tướng Phạm Minh Chính dự Hội nghị Ngoại giao tại điểm cầu tỉnh Bình Phước."
                 .encode())


def _warm_up(convert: bool = True) -> None:
    """Load the reference tables, the segmentation model and every pattern once in the parent (by extracting one
    line), so forked workers share them instead of each loading them. (Letting each worker load them while the
    parent reads the cache was tried: a 1% rebuild at 10k was no faster, the two cores being busy either way, and a
    full build's peak memory grew by 60 MB.) With `convert`, its rows are also converted as a worker converts its
    batch, so the workers share pandas, which pyarrow imports for its first conversion (see `_PoolResults`)."""
    import charset_normalizer  # noqa: F401  (the decoder's fallback for files in no declared encoding)

    rows, _ = extract_one(_WARM_UP_TEXT, "warm-up.txt", "text")
    if rows is not None and convert:
        to_arrow([("warm-up", 0, 0, rows)])


def _triage(files: list[tuple[str, os.DirEntry]], max_bytes: int, fingerprint: str,
            index: dict[str, tuple[int, int, str]], keep_bytes: bool):
    """Sort every file (`_inputs`: a path relative to the input folder and its directory entry) into rejected,
    reused (unchanged since the cached extraction) or to extract.

    A file whose size and modification time match the cache is reused without being read; otherwise its bytes are
    hashed, so a file touched but unchanged is still reused.
    """
    known = {key for _, _, key in index.values()}
    rejected, reused, to_extract = [], {}, []
    for source, entry in files:
        path = entry.path
        try:
            stat = entry.stat()
            if stat.st_size > max_bytes:
                rejected.append({"source": source, "reason": "oversized",
                                 "detail": f"{stat.st_size} bytes is over the {max_bytes}-byte limit"})
                continue
            seen = index.get(source)
            if seen and seen[0] == stat.st_size and seen[1] == stat.st_mtime_ns:
                reused[seen[2]] = (source, stat.st_size, stat.st_mtime_ns)
                continue
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            rejected.append({"source": source, "reason": "unreadable", "detail": str(exc)})
            continue
        suffix = PurePosixPath(source).suffix
        kind = _sniff_kind(suffix, data)
        if kind is None:
            rejected.append({"source": source, "reason": "unsupported",
                             "detail": f"'{suffix}' files are not articles (use .txt or .html)"})
            continue
        key = hashlib.sha1(fingerprint.encode() + source.encode() + b"\0" + data).hexdigest()
        if key in known:
            reused[key] = (source, stat.st_size, stat.st_mtime_ns)
        else:
            to_extract.append(_Task(data if keep_bytes else None, source, kind, key, stat.st_size, stat.st_mtime_ns,
                                    path))
    return rejected, reused, to_extract


def _in_source_order(cached: tuple[dict[str, pa.Table], pa.Array | None] | None,
                     fresh: dict[str, list[pa.Table]]) -> dict[str, pa.Table]:
    """The cached rows still wanted and the freshly extracted ones, one table each, rows grouped by article in the
    order of the articles' paths, so the output does not depend on what came from the cache.

    `cached` is `RowStore.read`'s answer (every cached table, and the mask of the cached articles still wanted, or
    None), `fresh` the extracted pieces. Both are normally in path order already: the cache was written in it, and
    files are extracted in it. Then the two are merged by slicing, without copying a row: a rebuild after a small
    change no longer copies every cached body and keyword to put a few new articles among them. Pieces in another
    order (from a cluster, which returns articles as they finish) are sorted instead (`_sorted_by_rank`)."""
    joined = {name: pa.concat_tables(pieces) if pieces else rowstore_schema(name).empty_table()
              for name, pieces in fresh.items()}
    fresh.clear()
    merged = _merged(cached, joined)
    if merged is not None:
        return merged
    old = _with_masks(*cached) if cached else {}
    parts = {name: ([old[name]] if name in old else []) + [(table, None)] for name, table in joined.items()}
    del cached, joined, old
    return _sorted_by_rank(parts)


def _with_masks(tables: dict[str, pa.Table], kept: pa.Array | None) -> dict[str, tuple[pa.Table, pa.Array | None]]:
    """Each cached table with the mask of its rows still wanted (None when all are): `kept` for the tables with a
    row per article, the rows of the kept articles for the others."""
    if kept is None:
        return {name: (table, None) for name, table in tables.items()}
    ids = pc.filter(tables["articles"]["article_id"], kept).combine_chunks()
    return {name: (table, kept if name in ("meta", "articles") else rows_of(table["article_id"], ids))
            for name, table in tables.items()}


def _strictly_increasing(values: pa.Array | pa.ChunkedArray) -> bool:
    return len(values) < 2 or bool(pc.all(pc.greater(values[1:], values[:-1])).as_py())


def _article_rows(ids: pa.ChunkedArray, articles: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """(first row, number of rows) of each of `articles` (ids) in a table whose `ids` column holds its rows
    grouped by article in that order (0 rows for an article without any), or None when the rows are not grouped
    so. Runs are found chunk by chunk, so the column is not copied."""
    found, starts, lengths, offset = [], [], [], 0
    for chunk in ids.chunks:
        if len(chunk):
            runs = pc.run_end_encode(chunk)
            which = pc.index_in(runs.values, value_set=articles)
            if which.null_count:
                return None
            ends = runs.run_ends.to_numpy().astype(np.int64)
            found.append(which.to_numpy().astype(np.int64))
            starts.append(offset + np.r_[0, ends[:-1]])
            lengths.append(np.diff(ends, prepend=0))
            offset += len(chunk)
    first = np.zeros(len(articles), np.int64)
    count = np.zeros(len(articles), np.int64)
    if not found:
        return first, count
    which, start, length = (np.concatenate(parts) for parts in (found, starts, lengths))
    new_run = np.r_[True, which[1:] != which[:-1]]  # an article's rows split only by a chunk boundary: one run
    group = np.cumsum(new_run) - 1
    which, start, length = which[new_run], start[new_run], np.bincount(group, weights=length).astype(np.int64)
    if np.any(np.diff(which) <= 0):
        return None
    first[which], count[which] = start, length
    return first, count


def _merged(cached: tuple[dict[str, pa.Table], pa.Array | None] | None,
            fresh: dict[str, pa.Table]) -> dict[str, pa.Table] | None:
    """`_in_source_order` by merging two runs already in path order, or None when they are not in it."""
    if fresh["articles"].num_rows and not _strictly_increasing(fresh["articles"]["source"]):
        return None
    if cached is None:
        return fresh
    cached_tables, kept = cached
    articles = cached_tables["articles"]
    wanted = np.flatnonzero(kept.to_numpy(zero_copy_only=False)) if kept is not None else \
        np.arange(articles.num_rows)
    old_sources = articles["source"].take(pa.array(wanted)) if kept is not None else articles["source"]
    if not _strictly_increasing(old_sources):
        return None
    # articles in path order: where each comes from (0 cached, 1 fresh) and its row there
    order = pc.sort_indices(pa.chunked_array([*old_sources.chunks, *fresh["articles"]["source"].chunks],
                                             pa.string())).to_numpy()
    origin = (order >= len(wanted)).astype(np.int8)
    old = origin == 0
    row = order - len(wanted)
    row[old] = wanted[order[old]]
    ids = {0: articles["article_id"].combine_chunks(), 1: fresh["articles"]["article_id"].combine_chunks()}
    out = {}
    for name in ROWSTORE_TABLES:
        tables = {0: cached_tables[name], 1: fresh[name]}
        if name in ("meta", "articles"):  # one row per article, in the articles' order
            spans = {side: (np.arange(tables[side].num_rows), np.ones(tables[side].num_rows, np.int64))
                     for side in (0, 1)}
        else:
            spans = {side: _article_rows(tables[side]["article_id"], ids[side]) for side in (0, 1)}
            if spans[0] is None or spans[1] is None:
                return None
        start, count = np.empty(len(order), np.int64), np.empty(len(order), np.int64)
        start[old], count[old] = spans[0][0][row[old]], spans[0][1][row[old]]
        start[~old], count[~old] = spans[1][0][row[~old]], spans[1][1][row[~old]]
        keep = count > 0
        side, start, count = origin[keep], start[keep], count[keep]
        if not len(side):
            out[name] = rowstore_schema(name).empty_table()
            continue
        # consecutive rows of one side become one slice
        joins = np.r_[False, (side[1:] == side[:-1]) & (start[1:] == start[:-1] + count[:-1])]
        firsts = np.flatnonzero(~joins)
        sizes = np.bincount(np.cumsum(~joins) - 1, weights=count).astype(np.int64)
        out[name] = pa.concat_tables([tables[int(side[i])].slice(int(start[i]), int(size))
                                      for i, size in zip(firsts, sizes)])
    return out


def _sorted_by_rank(parts: dict[str, list[tuple[pa.Table, pa.Array | None]]]) -> dict[str, pa.Table]:
    """`_in_source_order` for pieces in any order: each table's pieces joined, without the rows their masks leave
    out, and sorted by the rank of their article's path (stable, so rows of one article keep their order). Each
    table is copied once, by one `take`, and not at all when it is already in order with nothing left out. Pieces
    are released table by table."""
    def joined(name: str) -> tuple[pa.Table, pa.Array | None]:
        pieces = parts.pop(name, [])
        if not pieces:
            return rowstore_schema(name).empty_table(), None
        table = pa.concat_tables([piece for piece, _ in pieces])
        if all(mask is None for _, mask in pieces):
            return table, None
        return table, pa.concat_arrays([pa.array(np.ones(piece.num_rows, bool)) if mask is None else mask
                                        for piece, mask in pieces])

    articles, kept = joined("articles")
    present = pc.indices_nonzero(kept) if kept is not None else None
    sources = articles["source"] if present is None else articles["source"].take(present)
    by_source = pc.sort_indices(sources)
    if present is not None:
        by_source = present.take(by_source)
    order = {"cache_key": pc.take(articles["cache_key"], by_source).combine_chunks(),
             "article_id": pc.take(articles["article_id"], by_source).combine_chunks()}
    out = {}
    for name in ["articles", *list(parts)]:
        table, mask = (articles, kept) if name == "articles" else joined(name)
        column = "cache_key" if name in ("meta", "articles") else "article_id"
        rank = pc.index_in(table[column], value_set=order[column])
        if mask is None and (table.num_rows < 2 or pc.all(pc.greater_equal(rank[1:], rank[:-1])).as_py()):
            out[name] = table
        else:
            if mask is not None:  # an article changed since it was cached has the same id as its new rows
                rank = pc.if_else(mask, rank, pa.scalar(None, rank.type))
            wanted = pc.array_sort_indices(rank)[:len(rank) - rank.null_count]  # stable; nulls (left out) last
            out[name] = table.take(wanted)
        del table, mask
    return out


def extract_corpus(input_dir: Path, workers: int = 1, max_bytes: int = config.MAX_FILE_BYTES, progress: bool = True,
                   cache_dir: Path | None = None, scheduler: str | None = None, reuse: bool = True,
                   pool: WarmPool | None = None):
    """Extract every article under `input_dir`: (Arrow tables of every article's rows with their `cache_key`, in
    path order; rejected rows; number of articles reused from the cache; the cache or None).

    With `cache_dir`, articles unchanged since the last build (same bytes, path, code and reference data) are read
    back from the column-wise cache there (unless `reuse` is False). With `pool`, files are extracted by its
    workers, which are already running.
    """
    files = _inputs(input_dir)
    fingerprint = pipeline_fingerprint()
    store = RowStore(cache_dir, fingerprint) if cache_dir else None
    if cache_dir:
        segment.keep_snapshot(segmenter_snapshot(cache_dir))
    index = store.index() if store and reuse else {}
    rejected, reused, to_extract = _triage(files, max_bytes, fingerprint, index, keep_bytes=bool(scheduler))
    from tqdm import tqdm

    bar = tqdm(total=len(files), desc="articles", unit="file", disable=not progress or len(files) < 50,
               file=sys.stderr)
    fresh: dict[str, list[pa.Table]] = {name: [] for name in ROWSTORE_TABLES}
    cached = None
    extracted = _in_pieces(_extract_on_cluster(to_extract, scheduler)) if scheduler else \
        _extract_locally(to_extract, workers, pool)
    try:
        # A pool has forked its workers by now: the cache is read while they extract. (Reading imports pandas,
        # through pyarrow: after the fork for a small rebuild, whose workers do not convert rows.)
        if reused:
            cached = store.read(reused)
        bar.update(len(reused) + len(rejected))
        for tables, problems, files in extracted:
            for name, table in (tables or {}).items():
                fresh[name].append(table)
            rejected.extend(problems)
            bar.update(files)
    finally:
        extracted.close()
    bar.close()
    tables = _in_source_order(cached, fresh)
    del cached
    rejected.sort(key=lambda r: r["source"])
    return tables, rejected, len(reused), store


def assemble_tables(rows: dict[str, pa.Table], rejected: list[dict], pairs: pa.Table | None = None,
                    con=None) -> tuple[dict[str, pa.Table], pa.Table]:
    """Every article's rows -> the processed tables (near-duplicates linked, conferences merged, keyword
    statistics computed), and the near-duplicate verdicts of this corpus by pair of cache keys for the next build.
    `pairs` are the last build's verdicts (`rowstore.PAIRS_SCHEMA`), reused where both articles are unchanged.
    Keyword statistics are counted in the DuckDB connection `con` (`serving.build_connection`; one of its own when
    None)."""
    articles, meta = rows["articles"], rows["meta"]
    ids = articles["article_id"].to_pylist()
    published = articles["published"].to_pylist()
    # publication order, undated last, then by path: the earliest of a story's copies is its original
    by_date = pc.sort_indices(articles, sort_keys=[("published", "ascending", "at_end"),
                                                   ("source", "ascending", "at_end")]).to_numpy()
    keys = articles["cache_key"].take(by_date).combine_chunks()
    signatures = meta["signature"].combine_chunks()
    matrix = signatures.values.to_numpy(zero_copy_only=False).reshape(len(ids), -1)[by_date] if len(ids) else \
        np.empty((0, 0), np.uint64)
    bodies = articles["body"]
    original, verdicts = link_duplicates(lambda row: bodies[int(by_date[row])].as_py(), matrix,
                                         articles["n_chars"].to_numpy()[by_date], _known_verdicts(pairs, keys))
    links: list[str | None] = [None] * len(ids)
    for row in np.flatnonzero(original >= 0):
        links[by_date[row]] = ids[by_date[original[row]]]
    pairs = pa.table({"key_a": pa.DictionaryArray.from_arrays(verdicts.first.astype(np.int32), keys),
                      "key_b": pa.DictionaryArray.from_arrays(verdicts.second.astype(np.int32), keys),
                      "duplicate": pa.array(verdicts.same, pa.bool_())}, schema=PAIRS_SCHEMA)
    del matrix, verdicts, original

    conferences: dict[str, dict] = {}
    for c in reference.conference_catalog():
        conferences[c.conference_id] = {"conference_id": c.conference_id, "name": c.name, "series": c.series or None,
                                        "ordinal": c.ordinal, "start": c.start, "end": c.end, "venue": c.venue,
                                        "in_catalog": True, "articles": 0}
    parsed: dict[str | None, Conference | None] = {None: None}  # many articles describe a conference alike
    described = [parsed[text] if text in parsed else parsed.setdefault(text, conference_from_json(text))
                 for text in meta["conference"].to_pylist()]
    aliases = _merge_new_conferences(described)
    conference_ids = [aliases.get(c, c) for c in articles["conference_id"].to_pylist()]
    for c in described:
        if c is None:
            continue
        row = conferences.setdefault(aliases.get(c.conference_id, c.conference_id), {
            "conference_id": c.conference_id, "name": c.name, "series": c.series, "ordinal": c.ordinal,
            "start": c.start, "end": c.end, "venue": c.venue, "in_catalog": c.in_catalog, "articles": 0})
        row["articles"] += 1
        if not row["in_catalog"]:
            starts = [d for d in (row["start"], c.start) if d]
            ends = [d for d in (row["end"], c.end) if d]
            row["start"], row["end"] = (min(starts) if starts else None), (max(ends) if ends else None)
            row["venue"] = row["venue"] or c.venue

    out_articles = articles.drop_columns(["cache_key"])
    for column, values in (("conference_id", conference_ids), ("duplicate_of", links)):
        out_articles = out_articles.set_column(out_articles.schema.get_field_index(column), column,
                                               pa.array(values, pa.string()))
    catalog = sorted(conferences.values(), key=lambda c: (str(c["start"] or "9999"), c["conference_id"]))
    originals = pa.table({"article_id": pa.array(ids, pa.string()),
                          "conference_id": pa.array(conference_ids, pa.string()),
                          "month": pa.array([_month(p, c, conferences) for p, c in zip(published, conference_ids)],
                                            pa.date32()),
                          "original": pa.array([link is None for link in links], pa.bool_())})
    tables = {
        "articles": out_articles,
        "conferences": pa.Table.from_pylist(catalog, schema=arrow_schema("conferences")),
        "mentions": rows["mentions"],
        "foreign_mentions": rows["foreign_mentions"],
        "provinces": rows["provinces"],
        "keywords": rows["keywords"],
        "rejected": pa.Table.from_pylist(rejected, schema=arrow_schema("rejected")) if rejected
        else arrow_schema("rejected").empty_table(),
    }
    if con is None:
        with serving.build_connection() as own:
            by_conference, by_month = _keyword_counts(tables["keywords"], originals, own)
    else:
        by_conference, by_month = _keyword_counts(tables["keywords"], originals, con)
    tables["keyword_conference"] = _keyword_conference(by_conference)
    tables["keyword_month"] = _keyword_month(by_month)
    return {name: tables[name].cast(arrow_schema(name)) for name in TABLES}, pairs


def _index_in(column: pa.ChunkedArray, keys: pa.Array) -> pa.Array:
    """Position in `keys` of each cache key of a dictionary-encoded column (null when absent): looked up once per
    distinct key."""
    out = []
    for chunk in column.chunks:
        where = pc.index_in(chunk.dictionary, value_set=keys)
        out.append(pc.take(where, chunk.indices))
    return pa.concat_arrays(out) if out else pa.array([], pa.int32())


def _known_verdicts(pairs: pa.Table | None, keys: pa.Array) -> Verdicts | None:
    """The last build's verdicts on pairs whose two articles are both unchanged, by row in `keys`."""
    if pairs is None or not pairs.num_rows:
        return None
    a, b = (_index_in(pairs[column], keys) for column in ("key_a", "key_b"))
    both = pc.and_(pc.is_valid(a), pc.is_valid(b))
    a, b = (pc.filter(column, both).to_numpy().astype(np.int64) for column in (a, b))
    same = pc.filter(pairs["duplicate"], both).to_numpy(zero_copy_only=False)
    return Verdicts(np.minimum(a, b), np.maximum(a, b), same)


def _month(published: date | None, conference_id: str | None, conferences: dict[str, dict]) -> date | None:
    when = published or (conferences.get(conference_id or "", {}).get("start"))
    return when.replace(day=1) if when is not None else None


def _keyword_counts(keywords: pa.Table, articles: pa.Table, con) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keyword counts of original articles per conference and per month (DuckDB over the Arrow tables, in `con`)."""
    import pandas as pd

    con.register("keyword_rows", keywords)
    con.register("keyword_articles", articles)
    try:
        by_conference = con.sql(
            "SELECT a.conference_id, k.term, sum(k.count)::BIGINT AS count FROM keyword_rows k "
            "JOIN keyword_articles a USING (article_id) "
            "WHERE a.original AND a.conference_id IS NOT NULL GROUP BY ALL ORDER BY ALL").df()
        by_month = con.sql(
            "SELECT a.month, k.term, sum(k.count)::BIGINT AS count FROM keyword_rows k "
            "JOIN keyword_articles a USING (article_id) "
            "WHERE a.original AND a.month IS NOT NULL GROUP BY ALL ORDER BY ALL").df()
    finally:
        con.unregister("keyword_rows")
        con.unregister("keyword_articles")
    by_month["month"] = pd.to_datetime(by_month["month"]).dt.date
    return by_conference, by_month


def _keyword_conference(counts: pd.DataFrame) -> pa.Table:
    """Per-conference term counts, rates and distinctiveness, each republished story counted once."""
    from dashboard.analysis import distinctive_terms_all, term_rates

    schema = arrow_schema("keyword_conference")
    if counts.empty:
        return schema.empty_table()
    rates = term_rates(counts, "conference_id").merge(
        distinctive_terms_all(counts, "conference_id")[["conference_id", "term", "zeta"]],
        on=["conference_id", "term"], how="left")
    rates["zeta"] = rates["zeta"].fillna(0.0)
    rates = rates.sort_values(["conference_id", "zeta", "term"], ascending=[True, False, True])
    return pa.Table.from_pandas(rates[["conference_id", "term", "count", "rate", "zeta"]], schema=schema,
                                preserve_index=False)


def _keyword_month(counts: pd.DataFrame) -> pa.Table:
    """Per-month term counts and rates, each republished story counted once."""
    from dashboard.analysis import term_rates

    schema = arrow_schema("keyword_month")
    if counts.empty:
        return schema.empty_table()
    rates = term_rates(counts, "month").sort_values(["month", "term"], kind="stable")
    return pa.Table.from_pandas(rates[["month", "term", "count", "rate"]], schema=schema, preserve_index=False)


def _merge_new_conferences(described: list[Conference | None]) -> dict[str, str]:
    """Ids of new (non-catalog) conferences that are the same event seen by several articles -> the first id.

    Two articles about one event often name it differently ("Hội nghị toàn quốc quán triệt 4 nghị quyết …" vs
    "Hội nghị toàn quốc quán triệt …"): same start date and one name a word-prefix of the other make them one.
    """
    seen: dict[date, list[tuple[str, list[str], str | None]]] = {}  # by start date, in the order first seen
    placed: set[tuple] = set()  # descriptions already in `seen`: the same one again would be compared alike
    aliases: dict[str, str] = {}
    for c in described:
        if c is None or c.in_catalog or c.start is None or c.conference_id in aliases:
            continue
        words = c.name.lower().split()
        description = (c.conference_id, c.start, tuple(words), c.series)
        if description in placed:
            continue
        for first_id, first_words, series in seen.get(c.start, ()):
            if first_id == c.conference_id:
                continue
            # Provincial reviews differ only by organiser at the end: those must match exactly.
            same = words == first_words if (series or c.series) else (
                sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], zip(words, first_words))) >= 4)
            if same:
                aliases[c.conference_id] = first_id
                break
        else:
            seen.setdefault(c.start, []).append((c.conference_id, words, c.series))
            placed.add(description)
    return aliases


def write_tables(tables: dict[str, pa.Table], output_dir: Path, summary: dict, con=None,
                 computed: dict[str, pa.Table] | None = None) -> None:
    """Write every table and the serving tables computed from them (in the DuckDB connection `con`, else one of
    its own) to a temporary sibling folder, then swap it in for `output_dir` with renames. Tables are written by a
    second thread while DuckDB computes and writes the serving tables (both run outside the interpreter lock)."""
    if con is None:
        with serving.build_connection() as own:
            return write_tables(tables, output_dir, summary, own, computed)
    with staged_folder(Path(output_dir), "building") as staging, ThreadPoolExecutor(max_workers=1) as writer:
        written = [writer.submit(pq.write_table, tables[name], staging / f"{name}.parquet") for name in TABLES]
        sources = {name: tables[name] for name in serving.AGGREGATE_SOURCES}
        tables.clear()
        serving.write_aggregates(staging, con, sources, computed)
        del sources
        for future in written:
            future.result()
        (staging / "build.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def default_cache_dir(output_dir: Path) -> Path:
    """The extraction cache lives beside the output folder (data/.cache/rows for data/processed)."""
    return Path(output_dir).parent / ".cache" / "rows"


def segmenter_snapshot(cache_dir: Path) -> Path:
    """Where builds with the extraction cache `cache_dir` keep the segmenter snapshot (`segment.keep_snapshot`)."""
    return Path(cache_dir).parent / "segmenter.json"


@contextmanager
def one_build_at_a_time(output_dir: Path):
    """Builds into the same output folder wait for each other: an editor's upload in the app, `dashboard watch`
    and a `dashboard build` share the cache beside it and swap the same folder. An exclusive lock (`flock`) on a file
    beside the cache, taken per build even within one process, and released when the build ends or its process
    dies. Where there is no `flock` (not POSIX), builds are not serialised."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = default_cache_dir(output_dir).parent / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(input_dir: Path = config.RAW_DIR, output_dir: Path = config.PROCESSED_DIR, workers: int = 1,
          max_bytes: int = config.MAX_FILE_BYTES, progress: bool = True, incremental: bool = True,
          scheduler: str | None = None, pool: WarmPool | None = None) -> BuildSummary:
    """Build the processed tables from the raw articles under `input_dir`, reusing unchanged articles' extraction
    from the cache beside the output unless `incremental` is False (then every article is extracted again, and the
    cache refreshed). With `pool` (`WarmPool`), its running workers extract, and `workers` is not used."""
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    with one_build_at_a_time(output_dir):
        cache_dir = default_cache_dir(output_dir)
        shutil.rmtree(cache_dir.parent / "extract", ignore_errors=True)  # the one-JSON-per-article cache it replaces
        rows, rejected, reused, store = extract_corpus(input_dir, workers=workers, max_bytes=max_bytes,
                                                       progress=progress, cache_dir=cache_dir, scheduler=scheduler,
                                                       reuse=incremental, pool=pool)
        pa.default_memory_pool().release_unused()  # what extraction and ordering freed goes back to the system
        with serving.build_connection() as con, ThreadPoolExecutor(max_workers=1) as early:
            # the serving tables that read one article's rows only, in a second connection while this thread links
            per_article = early.submit(serving.per_article_aggregates, con.cursor(),
                                       {"mentions": rows["mentions"], "provinces": rows["provinces"]})
            tables, pairs = assemble_tables(rows, rejected, store.verdicts() if incremental else None, con)
            pa.default_memory_pool().release_unused()
            # the cache for the next build (this corpus only) is written beside the output: its own tables while the
            # processed tables are written (Parquet writing runs outside the interpreter lock), then links to those
            written: Future = Future()
            caching = ThreadPoolExecutor(max_workers=1)
            cached = caching.submit(store.write, rows["meta"], pairs, written.result)
            caching.shutdown(wait=False)
            del rows, pairs
            summary = BuildSummary(
                articles=tables["articles"].num_rows, rejected=tables["rejected"].num_rows,
                officials=pc.count_distinct(tables["mentions"]["name"]).as_py() if tables["mentions"].num_rows else 0,
                conferences=int(pc.sum(pc.greater(tables["conferences"]["articles"], 0)).as_py() or 0),
                mentions=tables["mentions"].num_rows, output=output_dir, reused=reused)
            try:
                write_tables(tables, output_dir, {"articles": summary.articles, "rejected": summary.rejected,
                                                  "officials": summary.officials, "conferences": summary.conferences,
                                                  "mentions": summary.mentions}, con, per_article.result())
            except BaseException as exc:
                written.set_exception(exc)  # the cache stays as it was, like the processed tables
                wait([cached])
                raise
            written.set_result(output_dir)
            cached.result()
        return summary
