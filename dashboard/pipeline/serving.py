"""Serving aggregates: small tables the dashboard answers most questions from, written by every build.

The app's filters (date, conference, outlet, originals only) are all properties of an article, so counting mentions,
provinces and keywords per (day, conference, outlet, original) loses nothing the filters can ask for, and turns ten
million mention rows into about a million aggregate rows. Only filters on officials or provinces ("articles that
mention X") and co-mentions need article-level rows: `official_article` and `province_article`, already grouped
per article so the app loads them without a join-and-group of its own.

Computed with DuckDB, by a build straight from the Arrow tables it has just assembled (`write_aggregates` with
`tables`), or from the Parquet tables in a folder, so they cost seconds at millions of rows and never hold a table
in pandas. Both read the same SELECTs (`aggregate_queries`) and write with DuckDB's COPY.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa


def scan(directory: Path, table: str) -> str:
    """`read_parquet('…')` of one processed table, for a FROM clause (also the app store's)."""
    return f"read_parquet('{_path(directory, table)}')"


def _path(directory: Path, table: str) -> str:
    return str(Path(directory) / f"{table}.parquet").replace("'", "''")


def _relations(directory: Path | None, relation: Callable[[str], str] | None) -> Callable[[str], str]:
    """What a query reads a table from: `relation(table)`, else the table's Parquet file in `directory`."""
    if relation is not None:
        return relation
    return lambda table: scan(directory, table)


def article_dims_sql(directory: Path | None = None, relation: Callable[[str], str] | None = None) -> str:
    """One row per article with the columns every filter reads; `date` is the date an article stands for:
    published, else its conference's start, else its first event date (as the pages show it). The tables are read
    from `directory`, or from `relation(table)`."""
    source = _relations(directory, relation)
    return f"""
        SELECT a.article_id, a.title, a.published, a.outlet, a.conference_id, a.source, a.duplicate_of,
               coalesce(a.published, c.start, list_min(a.event_dates)) AS date,
               a.duplicate_of IS NULL AS original
        FROM {source("articles")} a
        LEFT JOIN (SELECT conference_id, start FROM {source("conferences")}) c
               USING (conference_id)"""


def province_units_sql(provinces: str) -> str:
    """Province rows in both schemes: as named (63) and per unit of the 34-unit scheme, where an article naming two
    provinces that merged counts once for their unit (taking part if either did)."""
    return f"""
        SELECT article_id, '63' AS scheme, province AS unit, participating, mentions FROM {provinces}
        UNION ALL
        SELECT article_id, '34', province_34, bool_or(participating), sum(mentions)
        FROM {provinces} GROUP BY article_id, province_34"""


def aggregate_queries(directory: Path | None = None, relation: Callable[[str], str] | None = None) -> dict[str, str]:
    """The SELECT behind each serving table, in the order they are computed (the aggregates read the article-level
    tables computed before them), over the tables in `directory` or `relation(table)`. Every SELECT is ordered, so
    a rebuild writes the same rows in the same order."""
    source = _relations(directory, relation)
    dims = f"({article_dims_sql(relation=source)})"
    return {
        # One row per (article, official, role). `lead` marks the row of the official's first role (by name) in
        # the article, so counting lead rows counts articles exactly even when an article gives two roles.
        "official_article": f"""
            SELECT article_id, name, role, count(*) AS mentions,
                   row_number() OVER (PARTITION BY article_id, name ORDER BY role NULLS LAST) = 1 AS lead
            FROM {source("mentions")}
            GROUP BY article_id, name, role ORDER BY article_id, name, role NULLS LAST""",
        "province_article": f"""
            SELECT article_id, scheme, unit, participating, mentions::BIGINT AS mentions
            FROM ({province_units_sql(source("provinces"))})
            ORDER BY article_id, scheme, unit""",
        "official_day": f"""
            SELECT f.name, f.role, a.date, a.conference_id, a.outlet, a.original,
                   sum(f.mentions)::BIGINT AS mentions, count(*) FILTER (WHERE f.lead) AS articles
            FROM {source("official_article")} f JOIN {dims} a USING (article_id)
            GROUP BY ALL ORDER BY ALL""",
        "province_day": f"""
            SELECT u.scheme, u.unit, u.participating, a.date, a.conference_id, a.outlet, a.original,
                   count(*) AS articles, sum(u.mentions)::BIGINT AS mentions
            FROM {source("province_article")} u JOIN {dims} a USING (article_id)
            GROUP BY ALL ORDER BY ALL""",
        # Word statistics count each republished story once, so only originals are kept. No outlet column: it
        # multiplies the rows several times over, and an outlet filter is rare enough to read the article rows.
        "keyword_day": f"""
            SELECT k.term, a.date, a.conference_id, sum(k.count)::BIGINT AS count
            FROM {source("keywords")} k JOIN {dims} a USING (article_id)
            WHERE a.original
            GROUP BY ALL ORDER BY ALL""",
    }


AGGREGATE_SOURCES = ("articles", "conferences", "mentions", "provinces", "keywords")  # what the serving tables read
BUILD_MEMORY = "256MB"  # DuckDB's share of a build's memory: it spills to disk beyond this


@contextmanager
def build_connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection for the build: at most `BUILD_MEMORY`, spilling beyond it to its own scratch
    folder (removed afterwards) rather than growing; no progress bar."""
    scratch = tempfile.mkdtemp(prefix="dashboard-duckdb-")
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")
        con.execute(f"SET temp_directory = '{scratch}'")
        yield con
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


PER_ARTICLE = ("official_article", "province_article")  # serving tables that read one article's rows only


def _build_relation(table: str) -> str:
    return f"build_{table}"


def per_article_aggregates(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The serving tables of `PER_ARTICLE`, computed from the processed tables they read (`tables`, in memory, by
    name) in `con`. They do not depend on near-duplicate links or merged conferences, so a build computes them in
    a second connection while it links and merges."""
    try:
        for name, table in tables.items():
            con.register(_build_relation(name), table)
        queries = aggregate_queries(relation=_build_relation)
        return {name: con.sql(queries[name]).to_arrow_table() for name in PER_ARTICLE}
    finally:
        con.close()


def write_aggregates(directory: Path, con: duckdb.DuckDBPyConnection | None = None,
                     tables: dict[str, pa.Table] | None = None, computed: dict[str, pa.Table] | None = None) -> None:
    """Compute every serving table and write it into `directory` as Parquet (by DuckDB, zstd-compressed), from the
    processed tables in `directory`, or from `tables`, the processed tables in memory by name (`AGGREGATE_SOURCES`),
    without reading them back from disk. Serving tables already `computed` (by name, from the same tables) are
    written as they are. `con` is the connection to use (a new `build_connection` when None)."""
    if con is None:
        with build_connection() as own:
            return write_aggregates(directory, own, tables, computed)
    relation = None
    if tables is not None:
        for name, table in tables.items():
            con.register(_build_relation(name), table)
        relation = _build_relation
    computed = computed or {}
    queries = aggregate_queries(directory, relation)
    for name, query in queries.items():
        target = _path(directory, name)
        if relation is None:
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        else:  # kept in memory for the aggregates computed from it
            result = computed[name] if name in computed else con.sql(query).to_arrow_table()
            con.register(_build_relation(name), result)
            con.execute(f"COPY (SELECT * FROM {_build_relation(name)}) TO '{target}' "
                        "(FORMAT parquet, COMPRESSION zstd)")
    if tables is not None:
        for name in [*tables, *queries]:
            con.unregister(_build_relation(name))
