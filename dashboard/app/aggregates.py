"""Pure DataFrame -> DataFrame aggregates behind the charts (no streamlit here)."""
from __future__ import annotations

import itertools
from functools import cache

import pandas as pd

from dashboard import reference
from dashboard.pipeline.text import match_key


def conference_coverage(conferences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Conferences with at least one article in view, with their article count and a drawable end date."""
    counts = articles["conference_id"].value_counts()
    out = conferences[conferences["conference_id"].isin(counts.index)].copy()
    out["articles"] = out["conference_id"].map(counts).astype(int)
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"]).fillna(out["start"])
    fallback = articles.groupby("conference_id")["date"].min()
    out["start"] = out["start"].fillna(out["conference_id"].map(fallback))
    out["end"] = out["end"].fillna(out["start"])
    return out.sort_values("start").reset_index(drop=True)


def mentions_per_official(mentions: pd.DataFrame) -> pd.DataFrame:
    """name, role (the most frequent in view), mentions, articles — most mentioned first."""
    if mentions.empty:
        return pd.DataFrame(columns=["name", "role", "mentions", "articles"])
    grouped = mentions.groupby("name").agg(mentions=("article_id", "size"), articles=("article_id", "nunique"))
    roles = (mentions.dropna(subset=["role"]).groupby(["name", "role"]).size().reset_index(name="n")
             .sort_values(["name", "n", "role"], ascending=[True, False, True]).drop_duplicates("name")
             .set_index("name")["role"])
    grouped["role"] = roles.reindex(grouped.index)
    out = grouped.reset_index().sort_values(["mentions", "name"], ascending=[False, True]).reset_index(drop=True)
    return out[["name", "role", "mentions", "articles"]]


def official_monthly(mentions: pd.DataFrame, articles: pd.DataFrame, name: str) -> pd.DataFrame:
    """month, role, mentions for one official."""
    rows = mentions[mentions["name"] == name].merge(articles[["article_id", "date"]], on="article_id")
    if rows.empty:
        return pd.DataFrame(columns=["month", "role", "mentions"])
    rows = rows.assign(month=rows["date"].dt.to_period("M").dt.to_timestamp(), role=rows["role"].fillna("—"))
    return rows.groupby(["month", "role"]).size().reset_index(name="mentions").sort_values("month")


def official_by_conference(mentions: pd.DataFrame, articles: pd.DataFrame, conferences: pd.DataFrame,
                           name: str) -> pd.DataFrame:
    """conference, start, role, mentions for one official."""
    rows = mentions[mentions["name"] == name].merge(articles[["article_id", "conference_id"]], on="article_id")
    rows = rows.dropna(subset=["conference_id"])
    if rows.empty:
        return pd.DataFrame(columns=["conference", "start", "role", "mentions"])
    names = conferences.set_index("conference_id")
    out = rows.assign(role=rows["role"].fillna("—")).groupby(["conference_id", "role"]).size().reset_index(name="mentions")
    out["conference"] = out["conference_id"].map(names["name"])
    out["start"] = pd.to_datetime(out["conference_id"].map(names["start"]))
    return out.sort_values("start")[["conference", "start", "role", "mentions"]]


def roles_held(name: str) -> pd.DataFrame:
    """The reference role history of one official (empty for officials not in the reference data)."""
    spells = reference.official_roles().get(match_key(name), ())
    return pd.DataFrame([{"role": s.role, "start": s.start, "end": s.end} for s in spells],
                        columns=["role", "start", "end"])


def co_mentions(mentions: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Square matrix: number of articles in which each pair of `names` is mentioned together."""
    sets = mentions[mentions["name"].isin(names)].groupby("name")["article_id"].agg(set)
    matrix = pd.DataFrame(0, index=names, columns=names, dtype=int)
    for a, b in itertools.combinations_with_replacement([n for n in names if n in sets.index], 2):
        shared = len(sets[a] & sets[b])
        matrix.loc[a, b] = matrix.loc[b, a] = shared
    return matrix


def province_participation(provinces: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """unit, participating (articles reporting participation), mentioned (articles naming it)."""
    column = "province_34" if scheme == "34" else "province"
    if provinces.empty:
        return pd.DataFrame(columns=["unit", "participating", "mentioned"])
    mentioned = provinces.groupby(column)["article_id"].nunique()
    taking_part = provinces[provinces["participating"]].groupby(column)["article_id"].nunique()
    out = pd.DataFrame({"mentioned": mentioned}).assign(participating=taking_part).fillna(0).astype(int)
    return out.rename_axis("unit").reset_index()[["unit", "participating", "mentioned"]]


def province_conference_matrix(provinces: pd.DataFrame, articles: pd.DataFrame, conferences: pd.DataFrame,
                               scheme: str) -> pd.DataFrame:
    """Rows: units that took part; columns: conferences (chronological); values: articles reporting participation."""
    column = "province_34" if scheme == "34" else "province"
    rows = provinces[provinces["participating"]].merge(articles[["article_id", "conference_id"]], on="article_id")
    rows = rows.dropna(subset=["conference_id"])
    if rows.empty:
        return pd.DataFrame()
    table = rows.pivot_table(index=column, columns="conference_id", values="article_id", aggfunc="nunique", fill_value=0)
    order = conferences.set_index("conference_id")["start"].reindex(table.columns).sort_values(na_position="last").index
    names = conferences.set_index("conference_id")["name"]
    table = table[order]
    table.columns = [names.get(c, c) for c in table.columns]
    return table


def tiles(scheme: str) -> pd.DataFrame:
    """The tile-grid layout of one scheme ("63" or "34"); a copy, so callers may not change the cached table."""
    grid = _tile_table()
    return grid[grid["scheme"].astype(str) == scheme].reset_index(drop=True)


@cache
def _tile_table() -> pd.DataFrame:
    from dashboard import config

    return pd.read_csv(config.REFERENCE_DIR / "province_tiles.csv")
