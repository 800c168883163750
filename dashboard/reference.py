"""Cached loaders for the curated tables in `data/reference/` (one loader per table, loaded on first use).

Reference data is domain knowledge kept as reviewable text; the code only reads it. `functools.cache` makes each
table a process-wide singleton, safe to share between Streamlit's session threads because it is never mutated.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from dashboard import config
from dashboard.pipeline.text import match_key


def _read_lines(name: str, reference_dir: Path | None = None) -> tuple[str, ...]:
    path = (reference_dir or config.REFERENCE_DIR) / name
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return tuple(lines)


def _read_csv(name: str, reference_dir: Path | None = None) -> list[dict[str, str]]:
    path = (reference_dir or config.REFERENCE_DIR) / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _date_or_none(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Province:
    name: str
    name_34: str
    kind: str
    forms: tuple[str, ...]
    lat: float
    lon: float


@cache
def provinces() -> tuple[Province, ...]:
    """The 63 provinces and centrally-run cities with their surface forms and 34-unit mapping."""
    out = []
    for row in _read_csv("provinces.csv"):
        forms = (row["province"],) + tuple(a for a in row["aliases"].split("|") if a)
        out.append(Province(row["province"], row["province_34"], row["kind"], forms, float(row["lat"]), float(row["lon"])))
    return tuple(out)


@cache
def province_by_name() -> dict[str, Province]:
    return {match_key(p.name): p for p in provinces()}


@cache
def place_traps() -> tuple[str, ...]:
    return tuple(row["phrase"] for row in _read_csv("place_traps.csv"))


@cache
def place_blockers() -> tuple[str, ...]:
    return _read_lines("place_blockers.txt")


@cache
def surnames() -> frozenset[str]:
    return frozenset(match_key(s) for s in _read_lines("surnames.txt"))


@cache
def role_titles() -> tuple[str, ...]:
    """Function titles, longest first so that "Phó Thủ tướng" wins over "Thủ tướng"."""
    return tuple(sorted(set(_read_lines("role_titles.txt")), key=len, reverse=True))


@cache
def rank_prefixes() -> tuple[str, ...]:
    return tuple(sorted(set(_read_lines("rank_prefixes.txt")), key=len, reverse=True))


@cache
def not_officials() -> frozenset[str]:
    return frozenset(match_key(s) for s in _read_lines("not_officials.txt"))


@cache
def inline_boilerplate_prefixes() -> tuple[str, ...]:
    """Line prefixes of link lines inside an article ("Xem thêm: …"): dropped, but the body goes on."""
    return tuple(match_key(line[len("skip:"):]) for line in _read_lines("boilerplate_markers.txt")
                 if line.startswith("skip:"))


@cache
def boilerplate_markers() -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole-line markers, line prefixes), both as match keys."""
    whole, prefixes = set(), []
    for line in _read_lines("boilerplate_markers.txt"):
        if line.startswith("skip:"):
            continue
        if line.startswith("prefix:"):
            prefixes.append(match_key(line[len("prefix:"):]))
        else:
            whole.add(match_key(line).rstrip(":").strip())
    return frozenset(whole), tuple(prefixes)


@cache
def menu_words() -> tuple[str, ...]:
    """Section names of news sites as match keys, longest first."""
    return tuple(sorted({match_key(w) for w in _read_lines("menu_words.txt")}, key=len, reverse=True))


@cache
def byline_prefixes() -> tuple[str, ...]:
    return tuple(sorted({match_key(p) for p in _read_lines("byline_prefixes.txt")}, key=len, reverse=True))


@dataclass(frozen=True)
class RoleSpell:
    name: str
    role: str
    start: date | None
    end: date | None
    scope: str
    province: str


@cache
def official_roles() -> dict[str, tuple[RoleSpell, ...]]:
    """Role histories keyed by the official's match key, each sorted by start date."""
    spells: dict[str, list[RoleSpell]] = {}
    for row in _read_csv("officials.csv"):
        if not row.get("name") or not row.get("role"):
            continue
        spell = RoleSpell(row["name"], row["role"], _date_or_none(row.get("start", "")), _date_or_none(row.get("end", "")),
                          row.get("scope", ""), row.get("province", ""))
        spells.setdefault(match_key(row["name"]), []).append(spell)
    return {k: tuple(sorted(v, key=lambda s: s.start or date.min)) for k, v in spells.items()}


def role_at(name: str, when: date | None) -> str | None:
    """The role the reference data gives `name` on `when` (the latest spell that covers it), else None.

    >>> role_at("Tô Lâm", date(2023, 12, 19)) in ("Bộ trưởng Bộ Công an", None)
    True
    """
    spells = official_roles().get(match_key(name), ())
    if not spells:
        return None
    if when is None:
        return spells[-1].role
    covering = [s for s in spells if (s.start is None or s.start <= when) and (s.end is None or when <= s.end)]
    if covering:
        return covering[-1].role
    earlier = [s for s in spells if s.end is not None and s.end < when]
    if earlier:
        return "nguyên " + earlier[-1].role
    return None


@cache
def foreign_leaders() -> dict[str, dict[str, str]]:
    return {match_key(row["name"]): row for row in _read_csv("foreign_leaders.csv") if row.get("name")}


@cache
def countries() -> tuple[str, ...]:
    """Country names and aliases as written in Vietnamese, longest first (Việt Nam included)."""
    names = {"Việt Nam"}
    for row in _read_csv("countries.csv"):
        names.add(row["name"])
        names.update(a for a in row.get("aliases", "").split("|") if a)
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


@cache
def outlets() -> tuple[dict[str, str], ...]:
    return tuple(_read_csv("outlets.csv"))


@dataclass(frozen=True)
class CatalogConference:
    conference_id: str
    name: str
    series: str
    ordinal: int | None
    start: date | None
    end: date | None
    venue: str | None
    organiser: str | None
    review_year: int | None


def _int_or_none(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@cache
def conference_catalog() -> tuple[CatalogConference, ...]:
    out = []
    for row in _read_csv("conferences.csv"):
        if not row.get("conference_id"):
            continue
        out.append(CatalogConference(
            row["conference_id"], row["name"], row.get("series", ""), _int_or_none(row.get("ordinal", "")),
            _date_or_none(row.get("start", "")), _date_or_none(row.get("end", "")), row.get("venue") or None,
            row.get("organiser") or None, _int_or_none(row.get("review_year", ""))))
    return tuple(out)


@cache
def conference_series() -> tuple[dict[str, str], ...]:
    """Patterns (on match keys) that name a conference series, in priority order; tab-separated because they hold commas."""
    path = config.REFERENCE_DIR / "conference_series.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))
