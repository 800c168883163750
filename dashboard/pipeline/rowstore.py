"""The extraction cache: every extracted article's rows, kept column-wise in Parquet beside the output.

A rebuild reads one Parquet file per table instead of one file per article, keeps the rows of unchanged articles
with a vectorised mask, and extracts only what is new. Each article has its `cache_key`: the hash of the pipeline's
code and reference data (the fingerprint), the file's path and its bytes. The other tables' rows are tied to their
article by `article_id` (the cache holds one version of each path). `meta` holds, per article, its cache key, what
the whole-corpus steps need (MinHash signature, the conference as the article described it, its id before
conferences are merged) and the file's size and modification time, so an untouched file is recognised without
reading it.

The article-level tables (articles, mentions, foreign mentions, provinces, keywords) are the processed tables
themselves: the cache holds hard links to the files the build has just written (copies where the filesystem has
no hard links), so a build writes each of them once. The processed articles carry the merged conference and the
near-duplicate link, which the next build computes again; `meta` puts back the cache key and the conference id as
extracted. Processed tables are only ever replaced, never written in place, so a link keeps the version it was
made from.

The cache only ever holds the current corpus (each build rewrites it), and a different fingerprint empties it.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.pipeline.conferences import Conference
from dashboard.pipeline.extract import ArticleRows
from dashboard.pipeline.schema import arrow_schema
from dashboard.pipeline.staged import staged_folder

ROW_TABLES = {"articles": None, "mentions": "mentions", "foreign_mentions": "foreign", "provinces": "provinces",
              "keywords": "keywords"}
META_SCHEMA = pa.schema([("cache_key", pa.string()), ("source", pa.string()), ("size", pa.int64()),
                         ("mtime_ns", pa.int64()), ("signature", pa.list_(pa.uint64())), ("conference", pa.string()),
                         ("conference_id", pa.string())])
TABLES = ("meta", *ROW_TABLES)
# near-duplicate verdicts by pair of cache keys, each key stored once (dictionary-encoded)
PAIRS_SCHEMA = pa.schema([("key_a", pa.dictionary(pa.int32(), pa.string())),
                          ("key_b", pa.dictionary(pa.int32(), pa.string())), ("duplicate", pa.bool_())])


def schema(table: str) -> pa.Schema:
    if table == "meta":
        return META_SCHEMA
    if table == "articles":
        return pa.schema([pa.field("cache_key", pa.string()), *arrow_schema(table)])
    return arrow_schema(table)


def conference_to_json(conference: Conference | None) -> str | None:
    if conference is None:
        return None
    values = dict(conference.__dict__)
    values["start"] = conference.start.isoformat() if conference.start else None
    values["end"] = conference.end.isoformat() if conference.end else None
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def conference_from_json(text: str | None) -> Conference | None:
    if text is None:
        return None
    values = json.loads(text)
    for day in ("start", "end"):
        values[day] = date.fromisoformat(values[day]) if values[day] else None
    return Conference(**values)


def to_arrow(items: list[tuple[str, int, int, ArticleRows]]) -> dict[str, pa.Table]:
    """(cache_key, size, mtime_ns, rows) of some articles -> one Arrow table per cache table."""
    out = {"meta": pa.Table.from_pylist([
        {"cache_key": key, "source": rows.article["source"], "size": size, "mtime_ns": mtime,
         "signature": rows.signature, "conference": conference_to_json(rows.conference),
         "conference_id": rows.article["conference_id"]}
        for key, size, mtime, rows in items], schema=META_SCHEMA)}
    out["articles"] = pa.Table.from_pylist([{"cache_key": key, **rows.article} for key, _, _, rows in items],
                                           schema=schema("articles"))
    for table, attribute in ROW_TABLES.items():
        if attribute:
            out[table] = pa.Table.from_pylist([row for _, _, _, rows in items for row in getattr(rows, attribute)],
                                              schema=schema(table))
    return out


def rows_of(article_ids: pa.ChunkedArray, wanted: pa.Array) -> pa.Array:
    """Which rows belong to the `wanted` articles. A cached table keeps each article's rows together, so only the
    first row of each run is looked up."""
    ids = article_ids.combine_chunks()
    if len(ids) == 0:
        return pa.array([], pa.bool_())
    runs = pc.run_end_encode(ids)
    ends = runs.run_ends.to_numpy()
    kept = pc.is_in(runs.values, value_set=wanted).to_numpy(zero_copy_only=False)
    return pa.array(np.repeat(kept, np.diff(ends, prepend=0)))


def _read(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One cached table. Through `ParquetFile`, not `pq.read_table`: the latter imports pyarrow.dataset, and with it
    pandas (a quarter of a second), and `index` runs before the workers fork, which never need pandas."""
    with pq.ParquetFile(path) as file:
        return file.read(columns=columns)


class RowStore:
    def __init__(self, directory: Path, fingerprint: str):
        self.directory = Path(directory)
        self.fingerprint = fingerprint

    def _valid(self) -> bool:
        stamp = self.directory / "fingerprint"
        return stamp.exists() and stamp.read_text(encoding="utf-8").strip() == self.fingerprint and all(
            (self.directory / f"{t}.parquet").exists() for t in TABLES)

    def index(self) -> dict[str, tuple[int, int, str]]:
        """source -> (size, mtime_ns, cache_key) of every cached article (empty when the cache is absent, was
        written by other code or reference data, or its articles are not the ones its `meta` describes)."""
        if not self._valid():
            return {}
        meta = _read(self.directory / "meta.parquet", ["source", "size", "mtime_ns", "cache_key"])
        if not meta["source"].equals(_read(self.directory / "articles.parquet", ["source"])["source"]):
            return {}
        return {s: (n, m, k) for s, n, m, k in zip(*(meta[c].to_pylist() for c in meta.column_names))}

    def verdicts(self) -> pa.Table | None:
        """Near-duplicate verifications of the last build, by pair of cache keys (`PAIRS_SCHEMA`), or None."""
        path = self.directory / "pairs.parquet"
        if not self._valid() or not path.exists():
            return None
        return _read(path).cast(PAIRS_SCHEMA)

    def read(self, keys: dict[str, tuple[str, int, int]]) -> tuple[dict[str, pa.Table], pa.Array | None]:
        """Every cached table, and which cached articles are among `keys` (cache_key -> (source, size, mtime_ns)
        seen now): a mask over the rows of `meta` and `articles` (one row per article, in the same order), None
        when all are. Rows are not filtered here: the caller orders the cached and the new rows together and copies
        each table once at most (`build._in_source_order`); the rows of the other tables are tied to their article
        by `article_id` (`rows_of`)."""
        meta = _read(self.directory / "meta.parquet")
        keep = pc.is_in(meta["cache_key"], value_set=pa.array(sorted(keys), pa.string()))
        keep = keep.combine_chunks() if isinstance(keep, pa.ChunkedArray) else keep
        kept = None if pc.all(keep).as_py() is not False else keep  # every article wanted (or none cached)
        # the same content may have been touched since: keep what the files say now
        seen = [keys.get(k, (None, 0, 0)) for k in meta["cache_key"].to_pylist()]
        meta = meta.set_column(meta.schema.get_field_index("size"), "size", pa.array([s[1] for s in seen], pa.int64()))
        meta = meta.set_column(meta.schema.get_field_index("mtime_ns"), "mtime_ns",
                               pa.array([s[2] for s in seen], pa.int64()))
        # as processed: its cache key and its conference as extracted come from meta
        articles = _read(self.directory / "articles.parquet")
        articles = articles.set_column(articles.schema.get_field_index("conference_id"), "conference_id",
                                       meta["conference_id"])
        out = {"meta": meta, "articles": articles.add_column(0, "cache_key", meta["cache_key"]).cast(schema("articles"))}
        for table in TABLES[2:]:
            out[table] = _read(self.directory / f"{table}.parquet")
        return out, kept

    def write(self, meta: pa.Table, pairs: pa.Table | None, processed: Callable[[], Path]) -> None:
        """Replace the cache, written aside then swapped in: `meta` of the articles, the near-duplicate verdicts
        among them, `pairs` (`PAIRS_SCHEMA`), and links to their article-level tables in the folder `processed()`
        gives once the build has written it (it waits for that; if it raises, the cache is left as it was)."""
        with staged_folder(self.directory, "writing") as staging:
            pq.write_table(meta, staging / "meta.parquet")
            pq.write_table(PAIRS_SCHEMA.empty_table() if pairs is None else pairs, staging / "pairs.parquet")
            folder = processed()
            for table in ROW_TABLES:
                _link(folder / f"{table}.parquet", staging / f"{table}.parquet")
            (staging / "fingerprint").write_text(self.fingerprint, encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`, or a copy of it where the filesystem has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
