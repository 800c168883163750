"""The dashboard's query layer: DuckDB over the processed tables, answering every chart for a set of filters.

What the store holds (one DuckDB database per build, in a temporary file with a memory cap, shared by every session):
- `art`: one row per article, without its body (id, date, title, outlet, conference, original);
- the serving aggregates written by the build (`official_day`, `province_day`, `keyword_day`), which answer every
  question whose filters are article properties (dates, conferences, outlets, originals only);
- article-level rows (`men`: per article, official and role; `prov`: per article and province; `art_mask`: which of
  the most mentioned officials each article names, as bits), with the article's properties copied in, loaded on
  first need or in the background, for the filters "articles that name official X / province Y" and co-mentions.
Article bodies, mention offsets and keyword rows stay in Parquet and are read for one article or one search.

Every method returns a small pandas DataFrame (what the charts receive) and is safe to call from several threads:
each query runs on its own DuckDB cursor.
"""
from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.pipeline.serving import article_dims_sql, scan

NO_ROLE = "—"
MEMORY_LIMIT = "512MB"


def _memory_setting(value: str | None) -> str:
    """DuckDB's memory cap: the argument, else DASHBOARD_DUCKDB_MEMORY, else 512MB (digits and a unit only)."""
    value = value or os.environ.get("DASHBOARD_DUCKDB_MEMORY") or MEMORY_LIMIT
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value.strip(), flags=re.IGNORECASE):
        raise ValueError(f"memory limit {value!r} is not like 512MB or 1GB")
    return value.strip()


@dataclass(frozen=True)
class Filters:
    """The sidebar's filters; every field narrows the articles in view."""
    start: date | None = None
    end: date | None = None
    conferences: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    officials: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    dedupe: bool = False

    @property
    def needs_facts(self) -> bool:
        """Filters on who or where is named need article-level rows; the rest are answered from aggregates."""
        return bool(self.officials or self.provinces)


def article_filter_sql(f: Filters) -> tuple[str, list]:
    """WHERE clause (and its parameters) for the article-property filters: date, conference, outlet, originals. It
    reads the columns of `serving.article_dims_sql` (date, conference_id, outlet, original)."""
    clauses, params = ["TRUE"], []
    if f.start is not None:
        clauses.append("date >= ?")
        params.append(f.start)
    if f.end is not None:
        clauses.append("date <= ?")
        params.append(f.end)
    if f.conferences:
        clauses.append("list_contains(?::VARCHAR[], conference_id)")
        params.append(list(f.conferences))
    if f.outlets:
        clauses.append("list_contains(?::VARCHAR[], outlet)")
        params.append(list(f.outlets))
    if f.dedupe:
        clauses.append("original")
    return " AND ".join(clauses), params


def _memo(method):
    """Cache a query's result per arguments for the life of the store (one build): pages rerun on every click, and
    most of a rerun asks what the previous one asked. Callers get a copy, so they may modify it."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (method.__name__, *(_hashable(a) for a in args), *sorted((k, _hashable(v)) for k, v in kwargs.items()))
        with self._memo_lock:
            hit = self._results.get(key, _MISSING)
            if hit is not _MISSING:
                self._results.move_to_end(key)
        if hit is _MISSING:
            hit = method(self, *args, **kwargs)
            with self._memo_lock:
                self._results[key] = hit
                while len(self._results) > RESULTS_KEPT:
                    self._results.popitem(last=False)
        return hit.copy() if hasattr(hit, "copy") else hit
    return wrapper


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


_MISSING = object()
RESULTS_KEPT = 512
SELECTIONS_KEPT = 32
MASK_BITS = 62  # officials with a bit in art_mask (a signed 64-bit mask)


class Store:
    """Queries for one build's tables. `memory` caps DuckDB's memory (the tables live in a temporary database file,
    compressed, and are paged in as queries need them)."""

    def __init__(self, directory: Path, memory: str | None = None):
        self.directory = Path(directory)
        self._scratch = tempfile.mkdtemp(prefix="dashboard-store-")
        self._con = duckdb.connect(os.path.join(self._scratch, "serving.duckdb"))
        weakref.finalize(self, shutil.rmtree, self._scratch, True)
        self._con.execute(f"SET memory_limit = '{_memory_setting(memory)}'")
        self._con.execute("SET preserve_insertion_order = false")
        self._con.execute("SET enable_progress_bar = false")
        self._facts_lock = threading.Lock()
        self._facts = False
        self._bits: dict[str, int] = {}  # official -> bit in art_mask, once the article-level rows are loaded
        self._memo_lock = threading.Lock()
        self._results: OrderedDict = OrderedDict()
        self._selections: OrderedDict = OrderedDict()
        self._counter = itertools.count()
        self._selection_lock = threading.Lock()
        path = self._parquet
        self._con.execute(f"CREATE TABLE art AS SELECT (row_number() OVER (ORDER BY article_id))::INTEGER AS aid, * "
                          f"FROM ({article_dims_sql(self.directory)})")
        for name in ("official_day", "province_day", "keyword_day", "conferences"):
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM {path(name)}")
        self._con.execute("CHECKPOINT")
        self.conferences = self._df("SELECT * FROM conferences")
        self._conference_row = {c: i for i, c in enumerate(self.conferences["conference_id"])}
        self.conferences["start"] = pd.to_datetime(self.conferences["start"])
        self.conferences["end"] = pd.to_datetime(self.conferences["end"])
        self.rejected = self._df(f"SELECT * FROM {path('rejected')}")
        self._options: dict | None = None

    # -- plumbing -------------------------------------------------------------------------------------------------

    def _parquet(self, table: str) -> str:
        return scan(self.directory, table)

    def _df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()

    def load_facts(self) -> None:
        """Load the article-level official and province rows (idempotent; other callers wait for the first)."""
        with self._facts_lock:
            if self._facts:
                return
            cursor = self._con.cursor()
            try:
                # One bit per most-mentioned official and one mask per article, carried by a copy of the articles
                # table and by every article-level row: a filter on those officials is a bit test on the rows
                # themselves instead of a join with the selected articles, and co-mentions among them are a
                # group-by over one row per article.
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE top_officials AS
                    SELECT name, (row_number() OVER (ORDER BY sum(mentions) DESC, name) - 1)::INTEGER AS bit
                    FROM official_day GROUP BY name QUALIFY bit < {MASK_BITS}""")
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE art_mask AS
                    SELECT a.*, coalesce(m.mask, 0)::BIGINT AS mask
                    FROM art a LEFT JOIN (
                        SELECT article_id, bit_or(1::BIGINT << t.bit) AS mask
                        FROM {self._parquet('official_article')} JOIN top_officials t USING (name)
                        GROUP BY article_id) m USING (article_id)""")
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE men AS
                    SELECT a.aid, f.name, f.role, f.mentions, f.lead, a.date, a.conference_id, a.outlet, a.original,
                           a.mask
                    FROM {self._parquet('official_article')} f JOIN art_mask a USING (article_id)""")
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE prov AS
                    SELECT a.aid, u.scheme, u.unit, u.participating, u.mentions, a.date, a.conference_id, a.outlet,
                           a.original, a.mask
                    FROM {self._parquet('province_article')} u JOIN art_mask a USING (article_id)
                    ORDER BY u.scheme""")  # each scheme contiguous: a query on one skips the other's row groups
                self._bits = dict(cursor.execute("SELECT name, bit FROM top_officials").fetchall())
            finally:
                cursor.close()
            # No CHECKPOINT here: sessions are querying meanwhile, and DuckDB refuses to checkpoint during their
            # transactions (it checkpoints by itself as its write-ahead log grows). The tables are replaced, not
            # created, so a load interrupted by an error can simply be tried again by the next caller.
            self._facts = True

    def _keep(self, f: Filters, masked: bool = False) -> tuple[str, list]:
        """WHERE clause for a table with `aid` and the article properties (and, when `masked`, the article's `mask`):
        the selected articles when the filters name officials or provinces, else the article-property filters."""
        if f.needs_facts:
            bits = self._mask_of(f)
            if masked and bits is not None:
                where, params = article_filter_sql(f)
                return f"{where} AND mask & ?::BIGINT <> 0", params + [bits]
            sql, params = self._selected(f)
            return f"aid IN ({sql})", params
        return article_filter_sql(f)

    def _mask_of(self, f: Filters) -> int | None:
        """The bits of the filter's officials when it names only officials, all among the most mentioned."""
        if f.provinces or not f.officials:
            return None
        self.load_facts()
        if not all(name in self._bits for name in f.officials):
            return None
        return sum(1 << self._bits[name] for name in f.officials)

    def _selected(self, f: Filters) -> tuple[str, list]:
        """SELECT of the `aid`s in view when the filters name officials or provinces and no bit test answers them.
        The set is computed once per filters into a table (loading the facts first), so every query of a page probes
        a ready-made set."""
        self.load_facts()
        key = (f.start, f.end, f.conferences, f.outlets, f.officials, f.provinces, f.dedupe)
        with self._selection_lock:
            table = self._selections.get(key)
            if table is None:
                where, params = article_filter_sql(f)
                sql = f"SELECT aid FROM art WHERE {where}"
                if f.officials:
                    sql += " AND aid IN (SELECT aid FROM men WHERE list_contains(?::VARCHAR[], name))"
                    params = params + [list(f.officials)]
                if f.provinces:
                    sql += (" AND aid IN (SELECT aid FROM prov WHERE scheme = '63' "
                            "AND list_contains(?::VARCHAR[], unit))")
                    params = params + [list(f.provinces)]
                table = f"selected_{next(self._counter)}"
                cursor = self._con.cursor()
                try:
                    cursor.execute(f"CREATE TABLE {table} AS {sql}", params)
                    while len(self._selections) >= SELECTIONS_KEPT:
                        _, old = self._selections.popitem(last=False)
                        cursor.execute(f"DROP TABLE IF EXISTS {old}")
                finally:
                    cursor.close()
                self._selections[key] = table
        return f"SELECT aid FROM {table}", []

    def _articles_rel(self, f: Filters) -> tuple[str, list]:
        """The articles in view (every `art` column). Under a filter on the most mentioned officials, their copy
        with the masks answers by a bit test."""
        if self._mask_of(f) is not None:
            keep, params = self._keep(f, masked=True)
            return f"SELECT * EXCLUDE (mask) FROM art_mask WHERE {keep}", params
        keep, params = self._keep(f)
        return f"SELECT * FROM art WHERE {keep}", params

    def _officials_rel(self, f: Filters) -> tuple[str, list]:
        """Rows (name, role, date, conference_id, outlet, original, mentions, articles) for the view."""
        if f.needs_facts:
            keep, params = self._keep(f, masked=True)
            return (f"SELECT name, role, date, conference_id, outlet, original, mentions, lead::BIGINT AS articles "
                    f"FROM men WHERE {keep}", params)
        where, params = article_filter_sql(f)
        return f"SELECT * FROM official_day WHERE {where}", params

    def _unit_rel(self, f: Filters, scheme: str) -> tuple[str, list]:
        """Rows (unit, participating, date, conference_id, outlet, original, articles, mentions) in one scheme."""
        if f.needs_facts:
            keep, params = self._keep(f, masked=True)
            return (f"SELECT unit, participating, date, conference_id, outlet, original, 1 AS articles, mentions "
                    f"FROM prov WHERE scheme = ? AND {keep}", [scheme] + params)
        where, params = article_filter_sql(f)
        return f"SELECT * FROM province_day WHERE scheme = ? AND {where}", [scheme] + params

    def _keywords_rel(self, f: Filters) -> tuple[str, list]:
        """Rows (term, date, conference_id, count) over original articles in view. `keyword_day` has no outlet
        column (it would be several times larger), so an outlet filter reads the article-level keyword rows."""
        if f.needs_facts or f.outlets:
            arts, params = self._articles_rel(f)
            return (f"SELECT k.term, a.date, a.conference_id, k.count FROM {self._parquet('keywords')} k "
                    f"JOIN (SELECT article_id, date, conference_id FROM ({arts}) WHERE original) a "
                    f"USING (article_id)", params)
        where, params = article_filter_sql(replace(f, dedupe=False))  # keyword_day: originals only, no such column
        return f"SELECT * FROM keyword_day WHERE {where}", params

    # -- the sidebar ----------------------------------------------------------------------------------------------

    def options(self) -> dict:
        """Values the sidebar offers (the whole corpus, computed once per build)."""
        if self._options is None:
            span = self._df("SELECT min(date) AS lo, max(date) AS hi FROM art").iloc[0]
            covered = set(self._df("SELECT DISTINCT conference_id FROM art WHERE conference_id IS NOT NULL")
                          ["conference_id"])
            conferences = self.conferences[self.conferences["conference_id"].isin(covered)].sort_values(
                ["start", "conference_id"])
            self._options = {
                "span": (span["lo"].date(), span["hi"].date()) if pd.notna(span["lo"]) else None,
                "conferences": conferences["conference_id"].tolist(),
                "conference_labels": dict(zip(conferences["conference_id"], conferences["name"] + conferences[
                    "start"].map(lambda d: f" ({d:%m/%Y})" if pd.notna(d) else ""))),
                "outlets": self._df("SELECT DISTINCT outlet FROM art WHERE outlet IS NOT NULL ORDER BY 1")[
                    "outlet"].tolist(),
                "officials": self._df("SELECT name FROM official_day GROUP BY name ORDER BY sum(mentions) DESC, name")[
                    "name"].tolist(),
                "provinces": self._df("SELECT DISTINCT unit FROM province_day WHERE scheme = '63' ORDER BY 1")[
                    "unit"].tolist(),
            }
        return self._options

    # -- overview and timeline ------------------------------------------------------------------------------------

    @_memo
    def count(self, f: Filters) -> int:
        """Number of articles in view."""
        arts, params = self._articles_rel(f)
        return int(self._df(f"SELECT count(*) AS n FROM ({arts})", params)["n"].iloc[0])

    @_memo
    def summary(self, f: Filters) -> dict:
        """Headline figures; the officials and provinces counts reuse the (cached) per-official and per-province
        answers the pages show anyway."""
        arts, params = self._articles_rel(f)
        row = self._df(f"SELECT count(*) AS articles, count(DISTINCT conference_id) AS conferences, min(date) AS first, "
                       f"max(date) AS last FROM ({arts})", params).iloc[0]
        provinces = self.province_participation(f, "63")
        return {"articles": int(row["articles"]), "conferences": int(row["conferences"]),
                "officials": len(self.officials(f)), "provinces": int((provinces["participating"] > 0).sum()),
                "first": row["first"], "last": row["last"]}

    @_memo
    def coverage(self, f: Filters) -> pd.DataFrame:
        """Conferences with at least one article in view: the catalog row, `articles`, and drawable start/end."""
        arts, params = self._articles_rel(f)
        # Dates filled and rows ordered by the query; pandas only picks the catalog rows (its merge and sort on the
        # string ids took three times the query).
        rows = self._df(f"""
            SELECT n.conference_id, n.articles, coalesce(c.start, n.first)::TIMESTAMP AS start,
                   coalesce(c."end", c.start, n.first)::TIMESTAMP AS "end"
            FROM (SELECT conference_id, count(*) AS articles, min(date) AS first FROM ({arts})
                  WHERE conference_id IS NOT NULL GROUP BY 1) n
            JOIN conferences c USING (conference_id)
            ORDER BY start NULLS LAST, conference_id""", params)
        out = self.conferences.iloc[[self._conference_row[c] for c in rows["conference_id"]]].reset_index(drop=True)
        for column in ("articles", "start", "end"):
            out[column] = rows[column].to_numpy()
        return out

    @_memo
    def articles(self, f: Filters, search: str | None = None, conference: str | None = None,
                 limit: int | None = None) -> pd.DataFrame:
        """Articles in view, newest first (no bodies): article_id, date, title, outlet, conference_id, source, …"""
        arts, params = self._articles_rel(f)
        sql = f"SELECT aid, date FROM ({arts})"
        clauses = []
        if conference is not None:
            clauses.append("conference_id = ?")
            params = params + [conference]
        if search:
            needle = search.strip().lower()
            clauses.append(f"article_id IN (SELECT article_id FROM {self._parquet('articles')} "
                           f"WHERE contains(lower(coalesce(title, '')), ?) OR contains(lower(body), ?))")
            params = params + [needle, needle]
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        # Newest first, ties by article id (`aid` numbers the articles in that order). The order and limit work on
        # two narrow columns; titles and sources are fetched for the rows kept only.
        order = " ORDER BY date DESC NULLS LAST, aid"
        sql += order + (f" LIMIT {int(limit)}" if limit is not None else "")
        return self._df(f"SELECT article_id, date, published, title, outlet, conference_id, source, duplicate_of "
                        f"FROM art WHERE aid IN (SELECT aid FROM ({sql})){order}", params)

    # -- one article ----------------------------------------------------------------------------------------------

    @_memo
    def article(self, article_id: str) -> dict | None:
        rows = self._df(f"SELECT a.*, d.date FROM {self._parquet('articles')} a JOIN art d USING (article_id) "
                        f"WHERE a.article_id = ?", [article_id])
        return rows.iloc[0].to_dict() if len(rows) else None

    @_memo
    def article_rows(self, table: str, article_id: str) -> pd.DataFrame:
        """The mentions / provinces / foreign_mentions rows of one article."""
        if table not in ("mentions", "provinces", "foreign_mentions"):
            raise ValueError(table)
        return self._df(f"SELECT * FROM {self._parquet(table)} WHERE article_id = ?", [article_id])

    def content_hashes(self) -> frozenset[str]:
        return frozenset(self._df(f"SELECT content_hash FROM {self._parquet('articles')}")["content_hash"])

    # -- officials ------------------------------------------------------------------------------------------------

    @_memo
    def officials(self, f: Filters, limit: int | None = None) -> pd.DataFrame:
        """name, role (the most frequent in view), mentions, articles — most mentioned first."""
        rel, params = self._officials_rel(f)
        sql = f"""
            WITH per_role AS (SELECT name, role, sum(mentions) AS m, sum(articles) AS a FROM ({rel}) GROUP BY ALL)
            SELECT name, first(role ORDER BY m DESC, role) FILTER (WHERE role IS NOT NULL) AS role,
                   sum(m)::BIGINT AS mentions, sum(a)::BIGINT AS articles
            FROM per_role GROUP BY name ORDER BY mentions DESC, name"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._df(sql, params)

    @_memo
    def official_monthly(self, f: Filters, name: str) -> pd.DataFrame:
        """month, role, mentions for one official."""
        rel, params = self._officials_rel(f)
        return self._df(f"""
            SELECT date_trunc('month', date)::TIMESTAMP AS month, coalesce(role, '{NO_ROLE}') AS role,
                   sum(mentions)::BIGINT AS mentions
            FROM ({rel}) WHERE name = ? AND date IS NOT NULL GROUP BY ALL ORDER BY month, role""", params + [name])

    @_memo
    def official_by_conference(self, f: Filters, name: str) -> pd.DataFrame:
        """conference, start, role, mentions for one official, in conference order."""
        rel, params = self._officials_rel(f)
        rows = self._df(f"""
            SELECT conference_id, coalesce(role, '{NO_ROLE}') AS role, sum(mentions)::BIGINT AS mentions
            FROM ({rel}) WHERE name = ? AND conference_id IS NOT NULL GROUP BY ALL""", params + [name])
        catalog = self.conferences.set_index("conference_id")
        rows["conference"] = rows["conference_id"].map(catalog["name"])
        rows["start"] = rows["conference_id"].map(catalog["start"])
        return rows.sort_values(["start", "conference", "role"])[["conference", "start", "role", "mentions"]] \
            .reset_index(drop=True)

    @_memo
    def co_mentions(self, f: Filters, names: list[str]) -> pd.DataFrame:
        """Square matrix: number of articles in view naming both officials of each pair (the diagonal: one)."""
        matrix = pd.DataFrame(0, index=names, columns=names, dtype=int)
        if not names:
            return matrix
        self.load_facts()
        keep, params = self._keep(f, masked=True)
        # Each article becomes a bitmask of which of `names` it names; pair counts come from the few distinct masks.
        # The most mentioned officials already have their bit in `art_mask` (one row per article); others are
        # looked up in the mention rows.
        if all(name in self._bits for name in names):
            positions = [self._bits[name] for name in names]
            wanted = sum(1 << bit for bit in positions)
            masks = self._df(f"SELECT mask & ?::BIGINT AS mask, count(*) AS n FROM art_mask WHERE {keep} "
                             f"AND mask & ?::BIGINT <> 0 GROUP BY 1", [wanted] + params + [wanted])
        else:
            positions = list(range(len(names)))
            masks = self._df(f"""
                SELECT mask, count(*) AS n FROM (
                    SELECT aid, bit_or(1::BIGINT << pick.i) AS mask
                    FROM men JOIN (SELECT unnest(?::VARCHAR[]) AS name, unnest(range(?)) AS i) pick USING (name)
                    WHERE lead AND {keep} GROUP BY aid)
                GROUP BY mask""", [names, len(names)] + params)
        named = (masks["mask"].to_numpy(dtype=np.int64)[:, None] >> np.array(positions)) & 1
        matrix.loc[:, :] = ((named * masks["n"].to_numpy()[:, None]).T @ named).astype(int)
        return matrix

    # -- provinces ------------------------------------------------------------------------------------------------

    @_memo
    def province_participation(self, f: Filters, scheme: str) -> pd.DataFrame:
        """unit, participating (articles reporting participation), mentioned (articles naming it)."""
        rel, params = self._unit_rel(f, scheme)
        return self._df(f"""
            SELECT unit, coalesce(sum(articles) FILTER (WHERE participating), 0)::BIGINT AS participating,
                   sum(articles)::BIGINT AS mentioned
            FROM ({rel}) GROUP BY unit ORDER BY unit""", params)

    @_memo
    def province_conference_matrix(self, f: Filters, scheme: str) -> pd.DataFrame:
        """Rows: units that took part; columns: conferences (chronological); values: articles reporting it."""
        rel, params = self._unit_rel(f, scheme)
        rows = self._df(f"""
            SELECT unit, conference_id, sum(articles)::BIGINT AS articles FROM ({rel})
            WHERE participating AND conference_id IS NOT NULL GROUP BY ALL""", params)
        if rows.empty:
            return pd.DataFrame()
        table = rows.pivot_table(index="unit", columns="conference_id", values="articles", aggfunc="sum", fill_value=0)
        catalog = self.conferences.set_index("conference_id")
        order = catalog["start"].reindex(table.columns).sort_values(na_position="last").index
        table = table[order]
        table.columns = [catalog["name"].get(c, c) for c in table.columns]
        table.index.name = None
        return table

    # -- keywords -------------------------------------------------------------------------------------------------

    @_memo
    def keyword_counts(self, f: Filters, by: str = "conference_id") -> pd.DataFrame:
        """`by`, term, count over original articles in view (`by` is conference_id or month)."""
        rel, params = self._keywords_rel(f)
        if by == "month":
            return self._df(f"SELECT date_trunc('month', date)::TIMESTAMP AS month, term, sum(count)::BIGINT AS count "
                            f"FROM ({rel}) WHERE date IS NOT NULL GROUP BY ALL ORDER BY ALL", params)
        return self._df(f"SELECT conference_id, term, sum(count)::BIGINT AS count FROM ({rel}) "
                        f"WHERE conference_id IS NOT NULL GROUP BY ALL ORDER BY ALL", params)

    @_memo
    def vocabulary(self, f: Filters, limit: int = 2000) -> list[str]:
        """The most frequent terms in view (the keyword picker's options)."""
        rel, params = self._keywords_rel(f)
        return self._df(f"SELECT term FROM ({rel}) GROUP BY term ORDER BY sum(count) DESC, term LIMIT {int(limit)}",
                        params)["term"].tolist()

    @_memo
    def keyword_trend(self, f: Filters, terms: list[str], per: int = 10_000) -> pd.DataFrame:
        """month, term, count, rate (per `per` keyword tokens of the month) for the chosen terms."""
        rel, params = self._keywords_rel(f)
        return self._df(f"""
            WITH r AS (SELECT date_trunc('month', date)::TIMESTAMP AS month, term, count FROM ({rel})
                       WHERE date IS NOT NULL),
                 totals AS (SELECT month, sum(count) AS total FROM r GROUP BY month)
            SELECT month, term, sum(count)::BIGINT AS count, sum(count) * {int(per)} / any_value(total) AS rate
            FROM r JOIN totals USING (month) WHERE list_contains(?::VARCHAR[], term)
            GROUP BY month, term ORDER BY month, term""", params + [list(terms)])
