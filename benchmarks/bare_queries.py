"""The dashboard's aggregates as bare DuckDB queries on the contract tables: the reference the app is measured against.

Each `Store` method that runs a query computes one aggregate (the overview's headline figures, the officials' counts,
a conference-by-province matrix, ...). `bare_query(directory, method, args, kwargs)` is the SQL that computes the
same aggregate straight from the processed Parquet tables: no serving aggregates, no tables loaded in memory, no
per-article masks, no cached selections. `tests/test_store.py` checks that both give the same answers, so the
benchmark compares like with like; `benchmarks/app_scale.py` records which aggregates each interaction computed and
times their bare queries.
"""
from __future__ import annotations

import inspect
from pathlib import Path

from dashboard.pipeline.serving import article_dims_sql, province_units_sql, scan
from dashboard.store import NO_ROLE, Filters, Store, article_filter_sql


def _selection(directory: Path, f: Filters) -> tuple[str, list]:
    """The articles in view, with the columns every filter reads."""
    where, params = article_filter_sql(f)  # the article properties: the same columns, the same meaning
    clauses = [where]
    if f.officials:
        clauses.append(f"article_id IN (SELECT article_id FROM {scan(directory, 'mentions')} "
                       f"WHERE list_contains(?::VARCHAR[], name))")
        params.append(list(f.officials))
    if f.provinces:
        clauses.append(f"article_id IN (SELECT article_id FROM {scan(directory, 'provinces')} "
                       f"WHERE list_contains(?::VARCHAR[], province))")
        params.append(list(f.provinces))
    return f"SELECT * FROM ({article_dims_sql(directory)}) WHERE {' AND '.join(clauses)}", params


def _units(directory: Path, scheme: str) -> str:
    return f"SELECT * FROM ({province_units_sql(scan(directory, 'provinces'))}) WHERE scheme = '{scheme}'"


def bare_query(directory: Path, method: str, args: tuple, kwargs: dict) -> tuple[str, list]:
    """(SQL, parameters) computing what `Store.<method>(*args, **kwargs)` computes, from the contract tables."""
    bound = inspect.signature(getattr(Store, method)).bind(None, *args, **kwargs)
    bound.apply_defaults()
    arg = bound.arguments
    if method == "article":
        return (f"SELECT a.*, d.date FROM {scan(directory, 'articles')} a JOIN ({article_dims_sql(directory)}) d "
                f"USING (article_id) WHERE a.article_id = ?", [arg["article_id"]])
    if method == "article_rows":
        return f"SELECT * FROM {scan(directory, arg['table'])} WHERE article_id = ?", [arg["article_id"]]
    sel, params = _selection(directory, arg["f"])
    mentions, keywords = scan(directory, "mentions"), scan(directory, "keywords")
    if method == "count":
        return f"SELECT count(*) AS n FROM ({sel})", params
    if method == "summary":
        return (f"SELECT count(*) AS articles, count(DISTINCT conference_id) AS conferences, min(date) AS first, "
                f"max(date) AS last FROM ({sel})", params)
    if method == "coverage":
        return (f"SELECT conference_id, count(*) AS articles, min(date) AS first FROM ({sel}) "
                f"WHERE conference_id IS NOT NULL GROUP BY 1", params)
    if method == "articles":
        search, conference, limit = arg["search"], arg["conference"], arg["limit"]
        clauses = []
        if conference is not None:
            clauses.append("conference_id = ?")
            params = params + [conference]
        if search:
            clauses.append(f"article_id IN (SELECT article_id FROM {scan(directory, 'articles')} "
                           f"WHERE contains(lower(coalesce(title, '')), ?) OR contains(lower(body), ?))")
            params = params + [search.strip().lower()] * 2
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return (f"SELECT article_id, date, published, title, outlet, conference_id, source, duplicate_of "
                f"FROM ({sel}){where} ORDER BY date DESC NULLS LAST, article_id"
                + (f" LIMIT {int(limit)}" if limit is not None else ""), params)
    if method == "officials":
        limit = arg["limit"]
        return (f"""
            WITH named AS (SELECT m.name, m.role, m.article_id FROM {mentions} m JOIN ({sel}) s USING (article_id)),
                 per_role AS (SELECT name, role, count(*) AS n FROM named GROUP BY ALL)
            SELECT t.name, r.role, t.mentions, t.articles
            FROM (SELECT name, count(*) AS mentions, count(DISTINCT article_id) AS articles FROM named GROUP BY name) t
            LEFT JOIN (SELECT name, first(role ORDER BY n DESC, role) AS role FROM per_role WHERE role IS NOT NULL
                       GROUP BY name) r USING (name)
            ORDER BY t.mentions DESC, t.name""" + (f" LIMIT {int(limit)}" if limit is not None else ""), params)
    if method in ("official_monthly", "official_by_conference"):
        key, keep = (("date_trunc('month', s.date)::TIMESTAMP AS month", "s.date IS NOT NULL")
                     if method == "official_monthly" else ("s.conference_id", "s.conference_id IS NOT NULL"))
        return (f"SELECT {key}, coalesce(m.role, '{NO_ROLE}') AS role, count(*) AS mentions FROM {mentions} m "
                f"JOIN ({sel}) s USING (article_id) WHERE m.name = ? AND {keep} GROUP BY ALL ORDER BY ALL",
                params + [arg["name"]])
    if method == "co_mentions":
        return (f"""
            WITH named AS (SELECT DISTINCT m.article_id, m.name FROM {mentions} m JOIN ({sel}) s USING (article_id)
                           WHERE list_contains(?::VARCHAR[], m.name))
            SELECT a.name AS first, b.name AS second, count(*) AS articles
            FROM named a JOIN named b USING (article_id) GROUP BY ALL""", params + [list(arg["names"])])
    if method in ("province_participation", "province_conference_matrix"):
        units = (f"SELECT u.*, s.conference_id FROM ({_units(directory, arg['scheme'])}) u "
                 f"JOIN ({sel}) s USING (article_id)")
        if method == "province_participation":
            return (f"SELECT unit, count(*) FILTER (WHERE participating) AS participating, count(*) AS mentioned "
                    f"FROM ({units}) GROUP BY unit ORDER BY unit", params)
        return (f"SELECT unit, conference_id, count(*) AS articles FROM ({units}) "
                f"WHERE participating AND conference_id IS NOT NULL GROUP BY ALL", params)
    originals = f"SELECT k.term, k.count, s.date, s.conference_id FROM {keywords} k JOIN ({sel}) s " \
                f"USING (article_id) WHERE s.original"
    if method == "keyword_counts":
        if arg["by"] == "month":
            return (f"SELECT date_trunc('month', date)::TIMESTAMP AS month, term, sum(count)::BIGINT AS count "
                    f"FROM ({originals}) WHERE date IS NOT NULL GROUP BY ALL ORDER BY ALL", params)
        return (f"SELECT conference_id, term, sum(count)::BIGINT AS count FROM ({originals}) "
                f"WHERE conference_id IS NOT NULL GROUP BY ALL ORDER BY ALL", params)
    if method == "vocabulary":
        return (f"SELECT term FROM ({originals}) GROUP BY term ORDER BY sum(count) DESC, term "
                f"LIMIT {int(arg['limit'])}",
                params)
    if method == "keyword_trend":
        return (f"""
            WITH r AS (SELECT date_trunc('month', date)::TIMESTAMP AS month, term, count FROM ({originals})
                       WHERE date IS NOT NULL),
                 totals AS (SELECT month, sum(count) AS total FROM r GROUP BY month)
            SELECT month, term, sum(count)::BIGINT AS count, sum(count) * {int(arg['per'])} / any_value(total) AS rate
            FROM r JOIN totals USING (month) WHERE list_contains(?::VARCHAR[], term)
            GROUP BY month, term ORDER BY month, term""", params + [list(arg["terms"])])
    raise KeyError(f"no bare query for Store.{method}")


# The store's query methods, each one aggregate (options() runs once per build, before any interaction).
AGGREGATES = ("count", "summary", "coverage", "articles", "article", "article_rows", "officials", "official_monthly",
              "official_by_conference", "co_mentions", "province_participation", "province_conference_matrix",
              "keyword_counts", "vocabulary", "keyword_trend")
