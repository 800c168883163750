"""Dates in Vietnamese press: date lines ("Thứ ba - 19/12/2023 16:44", "Cập nhật: 14-12-2021 | 15:58:28",
"18 tháng 12, 2023", ISO 8601 ...) and event dates in the body ("Sáng 23/12", "từ ngày 19 đến 23/12/2023").

dateparser was measured and left out: it does not read "Cập nhật: …" prefixes and silently fills a missing year
with today's, which turns "Sáng 23/12" into the wrong year. These patterns cover every style we have seen.
"""
from __future__ import annotations

import re
from datetime import date

from dashboard.pipeline.text import match_key

_ISO_RE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b")
_DMY_RE = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)(?!\d)")
_WORDY_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,|năm)?\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
_MONTH_FIRST_RE = re.compile(r"tháng\s+(?P<m>\d{1,2})\s+(?P<d>\d{1,2})\s*,\s*(?P<y>(?:19|20)\d\d)", re.I)
_MONTHS = {m: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for m in names}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_MDY_RE = re.compile(rf"\b(?P<mon>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_EN_DMY_RE = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_NAME})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_DM_RE = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?![\d/]|\.\d|-\d)")
_DM_WORDY_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?!\d)(?!\s*(?:,|năm)?\s*(?:19|20)\d\d)", re.I)
_RANGE_RE = re.compile(r"(?<![\d/])(?P<d1>\d{1,2})\s*(?:-|–|đến|tới|và)\s*(?:ngày\s+)?(?P<d2>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>(?:19|20)\d\d))?(?!\d)")
_TIME_RE = re.compile(r"\b\d{1,2}\s*(?::|h|giờ)\s*\d{0,2}(?::\d\d)?(?:\s*(?:AM|PM|SA|CH))?\b", re.I)
_DATE_LINE_WORDS = re.compile(
    r"\b(?:cập nhật|cap nhat|lúc|ngày đăng|ngày|đăng|đăng lúc|xuất bản|thời gian|giờ|gmt|utc|thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|"
    r"chủ nhật|cn|tháng|năm|update|updated|published|posted|am|pm)\b", re.I)


def _make(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_full_date(text: str) -> date | None:
    """The first complete date (day, month, year) written in `text`, else None.

    >>> parse_full_date("Thứ ba - 19/12/2023 16:44")
    datetime.date(2023, 12, 19)
    >>> parse_full_date("Cập nhật: 14-12-2021 | 15:58:28")
    datetime.date(2021, 12, 14)
    >>> parse_full_date("18 tháng 12, 2023")
    datetime.date(2023, 12, 18)
    """
    found = []
    for regex in (_ISO_RE, _DMY_RE, _WORDY_RE, _MONTH_FIRST_RE, _EN_MDY_RE, _EN_DMY_RE):
        for match in regex.finditer(text):
            month = _MONTHS[match["mon"].lower()] if "mon" in match.groupdict() else match["m"]
            value = _make(match["y"], month, match["d"])
            if value:
                found.append((match.start(), value))
                break
    return min(found)[1] if found else None


def is_date_line(line: str) -> bool:
    """True for a line that is a date stamp rather than a sentence ("Thứ Ba, 19/12/2023 - 16:44", "Hà Nội, 18/12/2023").

    >>> is_date_line("Cập nhật lúc 10:30 ngày 14/12/2021")
    True
    >>> is_date_line("Sáng 19/12/2023, Bộ Ngoại giao tổ chức Hội nghị Ngoại giao lần thứ 32 tại Hà Nội.")
    False
    """
    if len(line) > 120 or parse_full_date(line) is None:
        return False
    rest = line
    for regex in (_ISO_RE, _DMY_RE, _WORDY_RE, _MONTH_FIRST_RE, _EN_MDY_RE, _EN_DMY_RE, _TIME_RE):
        rest = regex.sub(" ", rest)
    rest = _DATE_LINE_WORDS.sub(" ", match_key(rest))
    letters = re.sub(r"[^a-zà-ỹđ]", "", rest)
    return len(letters) <= 16


def event_dates(text: str, year_hint: int | None) -> list[date]:
    """Dates of days written in `text`; a date without its year takes `year_hint` (the conference's or article's year).

    >>> event_dates("Sáng 23/12, Hội nghị bế mạc.", 2023)
    [datetime.date(2023, 12, 23)]
    >>> event_dates("diễn ra từ ngày 19 đến 23/12/2023", None)
    [datetime.date(2023, 12, 19), datetime.date(2023, 12, 23)]
    """
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for match in _RANGE_RE.finditer(text):
        if not free(match.span()):
            continue
        year = match["y"] or year_hint
        if year is None:
            continue
        for day in (match["d1"], match["d2"]):
            value = _make(year, match["m"], day)
            if value:
                found.append((match.start(), value))
        taken.append(match.span())
    for regex in (_ISO_RE, _DMY_RE, _WORDY_RE, _MONTH_FIRST_RE):
        for match in regex.finditer(text):
            value = _make(match["y"], match["m"], match["d"])
            if value and free(match.span()):
                found.append((match.start(), value))
                taken.append(match.span())
    if year_hint is not None:
        for regex in (_DM_RE, _DM_WORDY_RE):
            for match in regex.finditer(text):
                if not free(match.span()):
                    continue
                value = _make(year_hint, match["m"], match["d"])
                if value:
                    found.append((match.start(), value))
                    taken.append(match.span())
    return [value for _, value in sorted(found)]


def parse_iso_date(value: str | None) -> date | None:
    """Date part of an ISO 8601 timestamp as written (no time-zone conversion), else None."""
    if not value:
        return None
    match = _ISO_RE.search(value)
    if match:
        return _make(match["y"], match["m"], match["d"])
    return parse_full_date(value)
