"""The table contract between the pipeline and the dashboard: every processed table, its columns and their types.

This is the one place the columns are documented; the README's table section is generated from it
(`python -m dashboard schema`).
"""
from __future__ import annotations

import pyarrow as pa

TABLES: dict[str, tuple[str, list[tuple[str, pa.DataType, str]]]] = {
    "articles": ("One row per article that could be read.", [
        ("article_id", pa.string(), "stable id (hash of the path relative to the input folder)"),
        ("source", pa.string(), "file path relative to the input folder"),
        ("format", pa.string(), "text or html"),
        ("encoding", pa.string(), "codec the file was decoded with"),
        ("title", pa.string(), "title line as written; null when the file starts with body text"),
        ("published", pa.date32(), "date from the date line or HTML metadata; null when there is none"),
        ("outlet", pa.string(), "outlet named by the lead abbreviation, HTML site name or source credit"),
        ("byline", pa.string(), "author or source credit line (boilerplate, never an official)"),
        ("conference_id", pa.string(), "the conference the article reports (conferences.conference_id)"),
        ("duplicate_of", pa.string(), "article_id of the earlier copy of the same wire story, else null"),
        ("event_dates", pa.list_(pa.date32()), "dates of sessions written in the body"),
        ("body", pa.string(), "title line + article text + photo captions, one paragraph per line (untrusted text)"),
        ("n_chars", pa.int64(), "length of the body"),
        ("content_hash", pa.string(), "SHA-1 of the raw file"),
        ("province_scheme", pa.string(), "63 or 34: the province scheme in force at the event"),
    ]),
    "conferences": ("Conferences from the catalog and new ones found in articles.", [
        ("conference_id", pa.string(), "catalog id (data/reference/conferences.csv) or a slug for a new conference"),
        ("name", pa.string(), "canonical name"),
        ("series", pa.string(), "series slug (ngoai_giao, ngoai_vu, doi_ngoai_toan_quoc, bdntw_tong_ket, …)"),
        ("ordinal", pa.int64(), "ordinal within the series (lần thứ N), when it has one"),
        ("start", pa.date32(), "first day"),
        ("end", pa.date32(), "last day"),
        ("venue", pa.string(), "venue"),
        ("in_catalog", pa.bool_(), "false for a conference built from an article's own evidence"),
        ("articles", pa.int64(), "number of articles reporting it"),
    ]),
    "mentions": ("One row per full-name mention of a Vietnamese official in an article body.", [
        ("article_id", pa.string(), "articles.article_id"),
        ("name", pa.string(), "official's full name"),
        ("role", pa.string(), "function held at the time of the article"),
        ("position", pa.int64(), "character offset of the mention in articles.body"),
        ("end", pa.int64(), "character offset just after the mention"),
        ("in_reference", pa.bool_(), "the official is in data/reference/officials.csv"),
    ]),
    "foreign_mentions": ("Foreign leaders named in article bodies (kept apart from officials).", [
        ("article_id", pa.string(), "articles.article_id"),
        ("name", pa.string(), "name as written"),
        ("country", pa.string(), "country, when the reference data knows it"),
        ("position", pa.int64(), "character offset in articles.body"),
    ]),
    "provinces": ("One row per province named in an article body.", [
        ("article_id", pa.string(), "articles.article_id"),
        ("province", pa.string(), "canonical name in the 63-province scheme"),
        ("province_34", pa.string(), "unit of the 34-unit scheme (Nghị quyết 202/2025/QH15) it belongs to"),
        ("participating", pa.bool_(), "bridge point, organiser/host, or its leaders/agencies attending in its name"),
        ("mentions", pa.int64(), "times it is named in the body"),
        ("positions", pa.list_(pa.int64()), "character offsets of each mention in articles.body"),
        ("ends", pa.list_(pa.int64()), "character offsets just after each mention"),
    ]),
    "keywords": ("Word counts of each article body (underthesea word segmentation; names, provinces and stopwords "
                 "removed).", [
        ("article_id", pa.string(), "articles.article_id"),
        ("term", pa.string(), "a Vietnamese word or domain phrase, lower case, syllables separated by spaces"),
        ("count", pa.int64(), "occurrences in the body"),
    ]),
    "keyword_conference": ("Keyword statistics per conference (precomputed for readers of the tables; the app "
                           "recomputes them for the current filters).", [
        ("conference_id", pa.string(), "conferences.conference_id"),
        ("term", pa.string(), "keywords.term"),
        ("count", pa.int64(), "occurrences in the conference's articles (each republished story once)"),
        ("rate", pa.float64(), "occurrences per 10,000 keyword tokens of the conference"),
        ("zeta", pa.float64(), "weighted log-odds z-score against all other conferences (Monroe et al. 2008)"),
    ]),
    "keyword_month": ("Keyword frequency per month of the article date, normalised by the month's amount of text.", [
        ("month", pa.date32(), "first day of the month (published date, else the conference's start)"),
        ("term", pa.string(), "keywords.term"),
        ("count", pa.int64(), "occurrences that month (each republished story once)"),
        ("rate", pa.float64(), "occurrences per 10,000 keyword tokens of that month"),
    ]),
    "rejected": ("Files that could not be used, with the reason (the quarantine list).", [
        ("source", pa.string(), "file path relative to the input folder"),
        ("reason", pa.string(), "empty, binary, undecodable, oversized, unsupported or error"),
        ("detail", pa.string(), "what exactly was wrong"),
    ]),
}


_DIMS = [
    ("date", pa.date32(), "the article's date (published, else its conference's start, else its first event date)"),
    ("conference_id", pa.string(), "articles.conference_id"),
    ("outlet", pa.string(), "articles.outlet"),
]

# Written after the tables above by `dashboard.pipeline.serving` (DuckDB over the written Parquet): one row per
# combination of the article properties the dashboard filters on, so most views never touch the article-level rows.
AGGREGATES: dict[str, tuple[str, list[tuple[str, pa.DataType, str]]]] = {
    "official_article": ("Mentions grouped per article, official and role (what 'articles that mention X' and "
                         "co-mentions are answered from).", [
        ("article_id", pa.string(), "articles.article_id"),
        ("name", pa.string(), "mentions.name"),
        ("role", pa.string(), "mentions.role"),
        ("mentions", pa.int64(), "mention rows"),
        ("lead", pa.bool_(), "the official's first role (by name) in the article: count these rows to count articles"),
    ]),
    "province_article": ("Province namings per article in both schemes.", [
        ("article_id", pa.string(), "articles.article_id"),
        ("scheme", pa.string(), "63 or 34"),
        ("unit", pa.string(), "provinces.province (scheme 63) or provinces.province_34 (scheme 34)"),
        ("participating", pa.bool_(), "the unit took part (for 34: any of its former provinces did)"),
        ("mentions", pa.int64(), "times named"),
    ]),
    "official_day": ("Mentions of each official per role, day, conference, outlet and original/copy.", [
        ("name", pa.string(), "mentions.name"),
        ("role", pa.string(), "mentions.role"),
        *_DIMS,
        ("original", pa.bool_(), "false for republished copies (articles.duplicate_of set)"),
        ("mentions", pa.int64(), "mention rows"),
        ("articles", pa.int64(), "articles naming the official, counted on the row of their first role by name, so "
                                 "the sum over roles is exact"),
    ]),
    "province_day": ("Articles naming each province (63-unit scheme) or unit (34-unit scheme) per day, conference, "
                     "outlet and original/copy.", [
        ("scheme", pa.string(), "63 or 34"),
        ("unit", pa.string(), "provinces.province (scheme 63) or provinces.province_34 (scheme 34)"),
        ("participating", pa.bool_(), "the unit took part (for 34: any of its former provinces did)"),
        *_DIMS,
        ("original", pa.bool_(), "false for republished copies"),
        ("articles", pa.int64(), "articles (an article naming two provinces that merged counts once for the unit)"),
        ("mentions", pa.int64(), "times named"),
    ]),
    "keyword_day": ("Keyword counts per day and conference, over original articles only.", [
        ("term", pa.string(), "keywords.term"),
        *_DIMS[:2],
        ("count", pa.int64(), "occurrences"),
    ]),
}


def arrow_schema(table: str) -> pa.Schema:
    columns = ALL_TABLES[table][1]
    return pa.schema([(name, dtype) for name, dtype, _ in columns])


def markdown() -> str:
    """The table contract as Markdown, for the README."""
    out = []
    for table, (about, columns) in ALL_TABLES.items():
        out.append(f"**`{table}.parquet`**: {about}\n\n| column | type | meaning |\n|---|---|---|")
        out.extend(f"| `{name}` | {dtype} | {doc} |" for name, dtype, doc in columns)
        out.append("")
    return "\n".join(out)


ALL_TABLES = {**TABLES, **AGGREGATES}
