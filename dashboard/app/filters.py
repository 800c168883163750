"""The shared filters: a pure `apply_filters` over the tables, and the sidebar widgets kept in the URL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    conferences: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    officials: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    dedupe: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def article_dates(articles: pd.DataFrame, conferences: pd.DataFrame) -> pd.Series:
    """The date an article stands for: published, else its conference's start, else its first event date."""
    start = articles["conference_id"].map(conferences.set_index("conference_id")["start"]) \
        if len(conferences) else pd.Series(pd.NaT, index=articles.index)
    first_event = articles["event_dates"].map(lambda d: min(d) if d is not None and len(d) else None)
    out = pd.to_datetime(articles["published"]).fillna(pd.to_datetime(start)).fillna(pd.to_datetime(first_event))
    return out


def apply_filters(tables: dict[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """The tables narrowed to the articles the filters keep (inputs are not modified).

    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "date": pd.to_datetime(["2021-12-14", "2023-12-19"]),
    ...     "conference_id": ["x", "y"], "outlet": ["BDO", None], "duplicate_of": [None, "a"]})
    >>> empty = pd.DataFrame({"article_id": [], "name": [], "province": []})
    >>> out = apply_filters({"articles": arts, "mentions": empty, "provinces": empty}, Filters(dedupe=True))
    >>> out["articles"]["article_id"].tolist()
    ['a']
    """
    articles = tables["articles"]
    keep = pd.Series(True, index=articles.index)
    if filters.start is not None:
        keep &= articles["date"] >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= articles["date"] <= pd.Timestamp(filters.end)
    if filters.conferences:
        keep &= articles["conference_id"].isin(filters.conferences)
    if filters.outlets:
        keep &= articles["outlet"].isin(filters.outlets)
    if filters.dedupe:
        keep &= articles["duplicate_of"].isna()
    if filters.officials:
        ids = tables["mentions"].loc[tables["mentions"]["name"].isin(filters.officials), "article_id"]
        keep &= articles["article_id"].isin(ids)
    if filters.provinces:
        ids = tables["provinces"].loc[tables["provinces"]["province"].isin(filters.provinces), "article_id"]
        keep &= articles["article_id"].isin(ids)
    kept = articles[keep]
    out = dict(tables)
    out["articles"] = kept
    for name, table in tables.items():
        if name != "articles" and "article_id" in table.columns:
            out[name] = table[table["article_id"].isin(kept["article_id"])]
    return out
