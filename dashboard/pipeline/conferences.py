"""Which conference an article reports: matched against `data/reference/conferences.csv`, or, for an event the
catalog does not hold, a new conference built from the article's own evidence (name, ordinal or year, dates, venue).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from dashboard import reference
from dashboard.pipeline.dates import event_dates
from dashboard.pipeline.text import fold_for_search, folded_regex

_PAST_RE = folded_regex(r"(?:\bsau|kể từ|từ sau|ngay sau|trước đó|tại|như)\s+$")
_YEAR_RE = folded_regex(r"\bnăm (20\d\d)\b")
_GENERIC_RE = re.compile(r"\b[Hh]ội nghị\b[^,.;:\n“”\"()]{6,140}")
_GENERIC_CUT_RE = re.compile(r"\s(?:tại|do|với|vào|diễn ra|được|đã|sẽ|nhằm|theo hình thức|trực tuyến|sáng|chiều|ngày)\s")
_VENUE_RE = re.compile(r"\btại ((?:Hội trường|Trung tâm Hội nghị|Nhà Quốc hội|Trụ sở|Khách sạn|Cung|Hà Nội|Thủ đô)"
                       r"[^.;\n]{0,80}?)(?=[.;\n]|,\s(?:[a-zđ]|Tổng|Thủ|Chủ|Bộ))")
_EVENT_WORDS_RE = re.compile(r"khai mạc|bế mạc|diễn ra|tổ chức|hội nghị|phiên|sáng|chiều|ngày", re.I)


@dataclass(frozen=True)
class Conference:
    conference_id: str
    name: str
    series: str | None
    ordinal: int | None
    start: date | None
    end: date | None
    venue: str | None
    in_catalog: bool


@cache
def _series_patterns() -> tuple[tuple[str, re.Pattern, str], ...]:
    return tuple((row["series"], folded_regex(row["pattern"]), row["name_template"]) for row in reference.conference_series())


def slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _cue_scores(title: str | None, body_lines: list[str]):
    """Score each (series, ordinal, year) cue by where it appears: title > lead > elsewhere; past references weigh less."""
    scores: Counter = Counter()
    first_seen: dict = {}
    texts = ([(title, 3.0)] if title else []) + [(line, 2.0 if i < 2 else 1.0) for i, line in enumerate(body_lines)]
    order = 0
    for text, weight in texts:
        folded = fold_for_search(text)
        claimed: list[tuple[int, int]] = []
        for series, pattern, template in _series_patterns():
            for m in pattern.finditer(folded):
                if any(a < m.end() and m.start() < b for a, b in claimed):
                    continue
                claimed.append(m.span())
                groups = m.groupdict()
                ordinal = int(groups["ordinal"]) if groups.get("ordinal") else None
                year = int(groups["year"]) if groups.get("year") else None
                w = weight * (0.3 if _PAST_RE.search(folded[max(0, m.start() - 14):m.start()]) and weight < 3 else 1.0)
                w += 1.0 if ordinal or year else 0.0
                cue = (series, ordinal, year, template)
                scores[cue] += w
                first_seen.setdefault(cue, order)
                order += 1
    return scores, first_seen


def _dominant_year(text: str, published: date | None) -> int | None:
    years = Counter(int(y) for y in _YEAR_RE.findall(fold_for_search(text)))
    if years:
        return years.most_common(1)[0][0]
    return published.year if published else None


def _catalog_match(series: str, ordinal: int | None, year: int | None, when: date | None):
    candidates = [c for c in reference.conference_catalog() if c.series == series]
    if ordinal is not None:
        return next((c for c in candidates if c.ordinal == ordinal), None)
    if year is not None:
        by_review = [c for c in candidates if c.review_year == year]
        if by_review:
            return by_review[0]
        if series in ("bdntw_tong_ket", "ngoai_giao_tong_ket", "tong_ket_doi_ngoai_dia_phuong"):
            named = [c for c in candidates if str(year) in c.name]
            return named[0] if named else None
        by_start = [c for c in candidates if c.start and c.start.year == year]
        if by_start:
            return by_start[0]
    if when is not None and candidates:
        dated = [c for c in candidates if c.start]
        if dated:
            nearest = min(dated, key=lambda c: abs((c.start - when).days))
            if abs((nearest.start - when).days) <= 45:
                return nearest
    return None


def _body_event_dates(lines: list[str], year_hint: int | None) -> list[date]:
    out: list[date] = []
    for line in lines:
        for sentence in re.split(r"(?<=[.;])\s", line):
            if _EVENT_WORDS_RE.search(sentence):
                out.extend(event_dates(sentence, year_hint))
    return out


def _lead_dates(title: str | None, body_lines: list[str], year_hint: int | None) -> list[date]:
    """Dates in the first sentence that reports the event ("Sáng 16/9, Bộ Chính trị tổ chức Hội nghị …")."""
    for line in ([title] if title else []) + body_lines[:3]:
        for sentence in re.split(r"(?<=[.;])\s", line):
            if _EVENT_WORDS_RE.search(sentence):
                found = event_dates(sentence, year_hint)
                if found:
                    return found
    return []


def identify_conference(title: str | None, body_lines: list[str],
                        published: date | None) -> tuple[Conference | None, list[date]]:
    """The conference an article reports and the event dates in its body.

    >>> conf, dates = identify_conference("Bế mạc Hội nghị Ngoại giao lần thứ 32", ["Sáng 23/12, hội nghị bế mạc."], None)
    >>> conf.conference_id, conf.in_catalog
    ('ngoai-giao-32', True)
    """
    full_text = "\n".join(([title] if title else []) + body_lines)
    scores, first_seen = _cue_scores(title, body_lines)
    year_hint = published.year if published else None
    if scores:
        # A series' mentions pool their weight; the series is then read at its most specific mention
        # ("Hội nghị Ngoại giao" in the title, "lần thứ 32" in the lead: the 32nd).
        by_series: Counter = Counter()
        for (series, ordinal, year, template), weight in scores.items():
            by_series[series] += weight
        best_series = max(by_series, key=lambda s: (by_series[s], -min(first_seen[c] for c in scores if c[0] == s)))
        same = [c for c in scores if c[0] == best_series]
        specific = [c for c in same if c[1] is not None or c[2] is not None] or same
        cue = max(specific, key=lambda c: (scores[c], -first_seen[c]))
        series, ordinal, year, template = cue
        if year is None and "{year}" in template:
            year = _dominant_year(full_text, published)
        found = _catalog_match(series, ordinal, year, published)
        if found is not None:
            hint = found.start.year if found.start else year_hint
            dates = event_dates(full_text, hint) if hint else event_dates(full_text, None)
            return Conference(found.conference_id, found.name, found.series, found.ordinal, found.start, found.end,
                              found.venue, True), dates
        if ordinal is None and year is None and "{" in template and template.count("{") > template.count("{organiser}"):
            cue = None
        if cue is not None:
            hint = year_hint or year
            if year_hint is None and year is not None and "tong_ket" in series:
                # A year-end review of year N is held in December of N or early in N+1.
                lead = _lead_dates(title, body_lines, year)
                if lead and all(d.month <= 6 for d in lead):
                    hint = year + 1
            dates = _body_event_dates(body_lines, hint)
            name = template.format(ordinal=ordinal or "", year=year or "", organiser="").strip()
            return (_new_conference(name, series, ordinal, dates, full_text, published, _lead_dates(title, body_lines, hint)),
                    event_dates(full_text, hint))
    # Not a known series: take the conference the title or lead names ("Hội nghị triển khai Nghị quyết 59 …").
    for text in ([title] if title else []) + body_lines[:3]:
        m = _GENERIC_RE.search(text)
        if m:
            name = _GENERIC_CUT_RE.split(m.group(0) + " ", maxsplit=1)[0].strip()
            if len(name.split()) >= 4:
                name = name[0].upper() + name[1:]
                dates = _body_event_dates(body_lines, year_hint)
                return (_new_conference(name, None, None, dates, full_text, published,
                                        _lead_dates(title, body_lines, year_hint)), event_dates(full_text, year_hint))
    return None, event_dates(full_text, year_hint)


def _new_conference(name: str, series: str | None, ordinal: int | None, dates: list[date], text: str,
                    published: date | None, lead_dates: list[date] | None = None) -> Conference:
    if lead_dates:
        dates = sorted(set(lead_dates) | {d for d in dates if 0 <= (d - min(lead_dates)).days <= 10})
    elif published:
        dates = [d for d in dates if abs((d - published).days) <= 60] or dates
    start = min(dates) if dates else None
    end = max(d for d in dates if start and (d - start).days <= 10) if dates else None
    venue_match = _VENUE_RE.search(text)
    venue = venue_match.group(1).strip() if venue_match else None
    year = start.year if start else (published.year if published else "")
    key = slug(name)
    conference_id = key if (series and ordinal) or str(year) in key else f"{key}-{year}".strip("-")
    return Conference(conference_id, name, series, ordinal, start, end, venue, False)


def province_scheme_date(conference: Conference | None, published: date | None, dates: list[date]) -> date | None:
    """The date that decides 63- vs 34-unit scheme: the event's start, else the article's."""
    if conference and conference.start:
        return conference.start
    if dates:
        return min(dates)
    return published

