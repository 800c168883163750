"""Provinces named in an article body, and which of them took part in the conference (ANNOTATION.md).

Mentioned: a province or centrally-run city written with capitals, in any of its forms ("TP.HCM", "Huế", "Khánh Hoà").
Not mentioned: "hòa bình" (peace), "Thái Bình Dương", people such as "Nguyễn Hòa Bình", "Chủ tịch Hồ Chí Minh"
(a bare "Hồ Chí Minh" is the person), communes such as "xã Khánh Hòa", counts such as "63 tỉnh, thành phố".
Participating: a bridge point (điểm cầu) in the province, the province or its agencies organising or hosting, or its
leaders or agencies attending in its name. The venue of a national conference alone does not take part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from dashboard import reference
from dashboard.pipeline.text import fold_for_search, folded_regex, match_key

_CASE_FREE_WORDS = {"thành", "phố", "tp", "tỉnh", "thủ", "đô"}
_BRIDGE_RE = folded_regex(r"điểm cầu(?!\s+(?:tỉnh ta|của tỉnh ta|thành phố ta))")
_BRIDGE_STOP_RE = folded_regex(r"[.;:!?\n]|\s(?:có|gồm|do|với sự|cùng)\s")
_ORGANISE_RE = folded_regex(r"\b(?:phối hợp với|phối hợp|đồng tổ chức|tổ chức|đăng cai|chủ trì|đồng chủ trì|tổng kết)\b")
_AGENCY_BEFORE_RE = folded_regex(
    r"(?:ubnd|ủy ban nhân dân|hđnd|hội đồng nhân dân|tỉnh ủy|thành ủy|sở ngoại vụ|sở [^\W\d_]+(?: [^\W\d_]+)?|"
    r"ban đối ngoại tỉnh ủy|ban đối ngoại thành ủy|ban thường vụ tỉnh ủy|lãnh đạo|đoàn đại biểu|đại diện|"
    r"đoàn công tác|tỉnh|thành phố|tp\.?)\s*$")
_CO_ORGANISER_RE = folded_regex(r"(?:^|\s)(?:do|phối hợp với|cùng với|cùng)\s+(?:[^\W\d_]+\s+){0,5}$")
_LIST_GLUE_RE = re.compile(r"\s*(?:,|và|cùng|;)?\s*(?:(?:tỉnh|thành phố|tp\.?)\s+)?")
_ATTEND_RE = folded_regex(r"\b(?:dự|tham dự|tham gia|tham luận|phát biểu|trình bày|chia sẻ|báo cáo)\b")
_AGENCY_NEAR_RE = folded_regex(r"(?:lãnh đạo|đoàn đại biểu|đại diện|đoàn công tác|sở ngoại vụ|ubnd|ủy ban nhân dân|"
                               r"tỉnh ủy|thành ủy|hđnd)((?:[\s,:]+[^\W\d_]+){0,8})[\s,:]*$")
# Words that end an agency phrase: after them the province is a venue or an object, not the agency's own.
_AGENCY_GAP_BLOCKERS = folded_regex(r"\b(?:tại|ở|đến|về|với|dự|tham dự|tham gia|làm việc|thăm|gặp)\b")


@dataclass(frozen=True)
class ProvinceMention:
    province: str
    start: int
    end: int


@cache
def _pattern() -> tuple[re.Pattern, dict[str, str | None]]:
    """One alternation over every form and trap phrase, longest first; maps a folded form to its province or None."""
    forms: dict[str, str | None] = {}
    for trap in reference.place_traps():
        forms[match_key(trap)] = None
    for province in reference.provinces():
        for form in province.forms:
            key = match_key(form)
            if key != "hồ chí minh":
                forms.setdefault(key, province.name)
    alternation = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alternation + r")(?![\w])"), forms


def _capitalised_as_a_name(original: str) -> bool:
    words = re.findall(r"[^\W\d_]+", original)
    return all(w[:1].isupper() for w in words if match_key(w) not in _CASE_FREE_WORDS)


def _blocked_by_left_context(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start]
    words = re.findall(r"[^\W\d_]+", before)
    if not words or not before.endswith(" "):
        return False
    last_two = " ".join(words[-2:])
    if match_key(last_two) in ("thành phố", "thị xã", "thị trấn"):
        return match_key(last_two) != "thành phố"
    prev = words[-1]
    if prev in reference.place_blockers():
        return True
    # "Nguyễn Hòa Bình", "Trương Hòa Bình": a family name glued in front makes it a person.
    if before.endswith(prev + " ") and prev[:1].isupper() and match_key(prev) in reference.surnames():
        return not prev.isupper()
    return False


@lru_cache(maxsize=32)  # an article's body is searched by several steps
def find_provinces(text: str) -> tuple[ProvinceMention, ...]:
    """Province mentions in `text` with their canonical 63-scheme names.

    >>> [m.province for m in find_provinces("Giữ vững môi trường hòa bình ở châu Á - Thái Bình Dương; điểm cầu TP.HCM "
    ...     "và Khánh Hoà; Phó Thủ tướng Trương Hòa Bình; xã Khánh Hòa; Chủ tịch Hồ Chí Minh.")]
    ['Thành phố Hồ Chí Minh', 'Khánh Hòa']
    """
    pattern, forms = _pattern()
    folded = fold_for_search(text)
    out = []
    for m in pattern.finditer(folded):
        province = forms.get(re.sub(r"\s+", " ", m.group(0)))
        if province is None:
            continue
        original = text[m.start():m.end()]
        if not _capitalised_as_a_name(original) or _blocked_by_left_context(text, m.start()):
            continue
        out.append(ProvinceMention(province, m.start(), m.end()))
    return tuple(out)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in ".;!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".;!?\n") if i != -1]
    return left, min(rights) if rights else len(text)


def _bridge_point(folded: str, mention: ProvinceMention) -> bool:
    left, _ = _clause_bounds(folded, mention.start, mention.end)
    segment = folded[left:mention.start]
    for bridge in _BRIDGE_RE.finditer(segment):
        between = segment[bridge.end():]
        if not _BRIDGE_STOP_RE.search(between) and len(between) <= 140:
            return True
    return False


def _organiser(folded: str, mention: ProvinceMention) -> bool:
    left, right = _clause_bounds(folded, mention.start, mention.end)
    before = folded[max(left, mention.start - 60):mention.start]
    after = folded[mention.end:right]
    at_clause_start = not folded[left:mention.start].strip(" \"“”'-–:")
    if not (_AGENCY_BEFORE_RE.search(before) or at_clause_start):
        return False
    if _CO_ORGANISER_RE.search(before) and _ORGANISE_RE.search(after[:80]):
        return True
    verb = _ORGANISE_RE.search(after)
    return bool(verb) and not re.search(r"\s(?:tại|ở)\s", after[:verb.start()] + " ")


def _attending_agency(folded: str, mention: ProvinceMention) -> bool:
    left, right = _clause_bounds(folded, mention.start, mention.end)
    before = folded[max(left, mention.start - 70):mention.start]
    agency = _AGENCY_NEAR_RE.search(before)
    if not agency or _AGENCY_GAP_BLOCKERS.search(agency.group(1)):
        return False
    return bool(_ATTEND_RE.search(folded[left:right]))


def _lists(text: str, mentions: list[ProvinceMention]) -> list[list[ProvinceMention]]:
    """Group mentions written as one list ("Thanh Hoá, Nghệ An, Hà Tĩnh và Quảng Trị")."""
    groups: list[list[ProvinceMention]] = []
    for mention in mentions:
        if groups:
            between = match_key(text[groups[-1][-1].end:mention.start])
            if _LIST_GLUE_RE.fullmatch(between):
                groups[-1].append(mention)
                continue
        groups.append([mention])
    return groups


def extract_provinces(body: str, official_roles: list[str] | None = None,
                      venue: str | None = None) -> dict[str, bool]:
    """{province: participating} for the provinces mentioned in `body`.

    `official_roles` are the roles of the officials found in the body: a provincial leader's role
    ("Bí thư Tỉnh ủy Bình Phước") shows the province attending in its own name. `venue` is the national
    conference's venue: a bridge point there is the venue itself, which does not take part on that ground alone.

    >>> extract_provinces("Dự hội nghị tại điểm cầu tỉnh Bình Phước có lãnh đạo tỉnh. Hội nghị diễn ra tại Hà Nội.")
    {'Bình Phước': True, 'Hà Nội': False}
    >>> extract_provinces("Tham dự có lãnh đạo Sở Ngoại vụ các địa phương gồm Thanh Hoá, Nghệ An và Huế.")
    {'Thanh Hóa': True, 'Nghệ An': True, 'Thừa Thiên Huế': True}
    """
    mentions = find_provinces(body)
    folded = fold_for_search(body)
    venue_provinces = {m.province for m in find_provinces(venue)} if venue else set()
    result: dict[str, bool] = {m.province: False for m in mentions}
    for group in _lists(body, mentions):
        taking_part = False
        for mention in group:
            bridge = _bridge_point(folded, mention) and mention.province not in venue_provinces
            if bridge or _organiser(folded, mention) or _attending_agency(folded, mention):
                taking_part = True
                break
        if taking_part:
            for mention in group:
                result[mention.province] = True
    for role in official_roles or []:
        for mention in find_provinces(role):
            if mention.province in result:
                result[mention.province] = True
    return result


def to_34(province: str) -> str:
    """The unit of the 34-unit scheme (Nghị quyết 202/2025/QH15) that `province` belongs to.

    >>> to_34("Thừa Thiên Huế"), to_34("Bình Phước"), to_34("Hà Nội")
    ('Huế', 'Đồng Nai', 'Hà Nội')
    """
    found = reference.province_by_name().get(match_key(province))
    return found.name_34 if found else province
