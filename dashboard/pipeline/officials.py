"""Vietnamese officials named in an article body: who, in which role at the time, and where each mention is.

Two sources decide: the curated role histories in `data/reference/officials.csv` (any full-name occurrence of a
listed official counts) and title patterns for officials not listed there — a function title before the name
("Bí thư Tỉnh ủy Bình Phước Nguyễn Mạnh Cường") or a role after it ("Nguyễn Long Biên, UVTV Tỉnh ủy, Phó Chủ tịch
UBND tỉnh"). Photo credits, bylines (already outside the body), the historical Hồ Chí Minh and foreign leaders are
never officials; foreign leaders are returned apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from dashboard import reference
from dashboard.pipeline.names import Token, capitalised_runs, capitalised_tokens, leading_place_length
from dashboard.pipeline.text import fold_for_search, folded_regex, match_key

_CLAUSE_BREAK = re.compile(r"[;:!?\n()“”\"]|\.(?=\s|$)")  # "TP.HCM" does not end a clause
_CREDIT_RE = re.compile(r"(?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Nguồn ảnh|Video|Photo|Clip)\s*:\s*[^.;\n)]{1,60}", re.I)
# Lower-case words that cannot stand between a title and the name it introduces: a verb ends the title phrase.
_GAP_BLOCKERS = {"dự", "gặp", "tiếp", "với", "là", "đã", "sẽ", "đang", "được", "có", "cùng", "và", "đến", "thăm",
                 "đón", "cảm", "ơn", "mời", "phát", "biểu", "trì", "cho", "biết", "nhấn", "mạnh", "đề", "khẳng",
                 "nêu", "yêu", "cầu", "trao", "tặng", "chúc", "mừng", "gửi", "làm", "việc", "báo", "cáo", "trình",
                 "bày", "tham", "luận", "nói", "hỏi", "về", "như", "khi", "sau", "trước", "từng", "đồng", "hành", "theo", "thay", "mặt", "lời", "ý", "kiến"}
_LOCAL_ROLE_ENDINGS = ("tỉnh ủy", "thành ủy", "ubnd tỉnh", "hđnd tỉnh", "ubnd thành phố", "hđnd thành phố",
                       "ủy ban nhân dân tỉnh", "hội đồng nhân dân tỉnh", "tỉnh", "sở ngoại vụ")
_MAX_GAP_TOKENS = 12


@dataclass(frozen=True)
class Mention:
    name: str
    role: str | None
    start: int
    end: int
    source: str  # "reference" or "pattern"


@dataclass(frozen=True)
class ForeignMention:
    name: str
    country: str | None
    start: int
    end: int


@cache
def _title_keys() -> tuple[str, ...]:
    return tuple(match_key(t) for t in reference.role_titles())


@cache
def _title_key_set() -> frozenset[str]:
    return frozenset(_title_keys())


@cache
def _rank_keys() -> tuple[str, ...]:
    return tuple(match_key(t) for t in reference.rank_prefixes())


@cache
def _country_keys() -> tuple[str, ...]:
    return tuple(match_key(c) for c in reference.countries())


def _alternation(keys) -> re.Pattern:
    """One compiled regex over many phrases (longest first), on word boundaries: compiling one pattern per phrase
    per article thrashes Python's regex cache."""
    ordered = sorted(set(keys), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in ordered) + r")(?!\w)")


@cache
def _title_or_rank_re() -> re.Pattern:
    return _alternation(_title_keys() + _rank_keys())


@cache
def _country_re() -> re.Pattern:
    return _alternation(_country_keys())


@cache
def _reference_name_re() -> re.Pattern:
    excluded = reference.not_officials()
    return _alternation([k for k in list(reference.official_roles()) + list(reference.foreign_leaders())
                         if k not in excluded])


def photo_credit_spans(text: str) -> list[tuple[int, int]]:
    """Where photo credits ("Ảnh: An Đăng/TTXVN") are in `text`."""
    return [m.span() for m in _CREDIT_RE.finditer(text)]


def _blank_credits(text: str) -> str:
    """Replace photo credits with spaces (same length) so photographers are never read as names."""
    return _CREDIT_RE.sub(lambda m: " " * len(m.group(0)), text)


def _name_in_run(run: list[Token]) -> list[Token] | None:
    """The personal name inside a capitalised run, after leading places, countries and acronyms."""
    i = 0
    while i < len(run):
        n = leading_place_length(run[i:])
        if n:
            i += n
            continue
        if run[i].text.isupper() and len(run[i].text) > 1:
            i += 1
            continue
        break
    surnames = reference.surnames()
    excluded = reference.not_officials()
    for size in (4, 3, 2):  # "Học viện … Hồ Chí Minh Nguyễn Xuân Thắng": the historical name is not the start
        if " ".join(t.key for t in run[i:i + size]) in excluded:
            i += size
            break
    while i < len(run) and run[i].key not in surnames:
        i += 1
    rest = run[i:]
    if len(rest) > 4:  # a long run ends with the person: take the last three tokens when they form a name
        tail = rest[-3:]
        if tail[0].key in surnames:
            return tail
    name = run[i:i + 4]
    if len(name) < 2:
        return None
    return name


def _starts_with_any(text_key: str, keys: tuple[str, ...]) -> str | None:
    """The first of `keys` that `text_key` starts with as whole words (followed by nothing, a space or a comma)."""
    m = _keys_re(keys).match(text_key)
    return m.group(1) if m else None


@cache
def _keys_re(keys: tuple[str, ...]) -> re.Pattern:
    """One pattern trying `keys` in their order (the alternation keeps it), compiled once per tuple of keys."""
    return re.compile("(" + "|".join(re.escape(k) for k in keys) + r")(?:\Z|(?=[ ,]))" if keys else r"(?!)")


def _strip_ranks(segment: str) -> str:
    """Drop Party-rank prefixes: "Ủy viên Bộ Chính trị, Thủ tướng Chính phủ" -> "Thủ tướng Chính phủ"."""
    changed = True
    while changed and segment:
        changed = False
        key = match_key(segment)
        prefix = _starts_with_any(key, _rank_keys())
        if prefix:
            segment = segment[len(prefix):].lstrip(" ,-–")
            changed = True
    return segment.strip()


def _role_from_segments(segments: list[str]) -> str | None:
    """Join the function segments of a title chain, rank prefixes removed."""
    functions = [s for s in (_strip_ranks(x) for x in segments) if s and _starts_with_any(match_key(s), _title_keys())]
    return ", ".join(functions) if functions else None


def _title_before(text: str, start: int) -> tuple[bool, str | None, bool]:
    """(has a title, role, title names a foreign country) for the text just before a name starting at `start`."""
    window_start = max(0, start - 220)
    window = text[window_start:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
    clause = window[breaks[-1]:] if breaks else window
    key = fold_for_search(clause)
    # Find the earliest title or rank occurrence that starts the chain leading to the name.
    titles = _title_key_set()
    positions = [(m.start(), m.end(), m.group(0) in titles) for m in _title_or_rank_re().finditer(key)]
    if not positions:
        return False, None, False
    last_title_end = max((end for _, end, is_title in positions if is_title), default=None)
    if last_title_end is None:
        return False, None, False
    gap = clause[last_title_end:]
    gap_words = re.findall(r"[^\W\d_]+", gap)
    if len(gap_words) > _MAX_GAP_TOKENS or any(w in _GAP_BLOCKERS for w in gap_words if w.islower()):
        return False, None, False
    last = clause.rsplit(",", 1)[-1]
    # "Thủ tướng Nguyễn Xuân Phúc và Chủ tịch Quốc hội Nguyễn Thị Kim Ngân": the title is what follows the previous
    # person or conjunction, not the whole segment.
    cut = max([m.end() for m in _NAME_RUN_RE.finditer(last) if match_key(m.group(1)) in reference.surnames()]
              + [m.end() for m in _CONJUNCTION_RE.finditer(last)] + [0])
    last = last[cut:]
    last_key = fold_for_search(last)
    starts = [m.start() for m in _title_or_rank_re().finditer(last_key)]
    if not starts:
        return False, None, False
    segments = [last[min(starts):].strip(" -–")]
    for previous in reversed(clause.split(",")[:-1]):
        previous = previous.strip(" -–")
        if not _pure_title(previous):
            break
        segments.insert(0, previous)
    chain = ", ".join(segments)
    first_country = _first_country(chain)
    foreign = first_country is not None and first_country != "việt nam"
    return True, _role_from_segments(segments), foreign


_NAME_RUN_RE = re.compile(r"(?<!\w)([A-ZÀ-Ỹ][^\W\d_]*) [A-ZÀ-Ỹ][^\W\d_]*")
_CONJUNCTION_RE = re.compile(r"\s(?:và|cùng|với)\s")
_NOT_TITLE_RE = folded_regex(r"\btại (?:hội nghị|phiên|buổi|lễ|cuộc)\b")


def _pure_title(segment: str) -> bool:
    """A comma-separated segment that is only a title ("Ủy viên Bộ Chính trị"), with no verb and no other person."""
    key = match_key(segment)
    if not (_starts_with_any(key, _title_keys()) or _starts_with_any(key, _rank_keys())):
        return False
    if _NOT_TITLE_RE.search(key) or any(w in _GAP_BLOCKERS for w in re.findall(r"[^\W\d_]+", segment) if w.islower()):
        return False
    for m in _NAME_RUN_RE.finditer(segment):
        if match_key(m.group(1)) in reference.surnames():
            return False
    return True


def _first_country(chain: str) -> str | None:
    """The first country written (with capitals) in a title chain: "Đại sứ Việt Nam tại Lào" -> "việt nam"."""
    folded = fold_for_search(chain)
    for m in _country_re().finditer(folded):
        original = chain[m.start():m.end()]
        if all(w[:1].isupper() for w in original.split()):
            return re.sub(r"\s+", " ", m.group(0))
    return None


def _role_after(text: str, end: int) -> str | None:
    """Role written after a name: "Nguyễn Long Biên, UVTV Tỉnh ủy, Phó Chủ tịch UBND tỉnh và …"."""
    rest = text[end:end + 240]
    m = re.match(r"\s*(?:,|-|–|\()\s*", rest)
    if not m:
        return None
    rest = rest[m.end():]
    stop = re.search(r"[.;:!?\n()]|\s(?:và|cùng|đã|dự|phát biểu|chủ trì|cho biết|nhấn mạnh)\s", rest)
    rest = rest[:stop.start()] if stop else rest
    segments = []
    for part in rest.split(","):
        part = part.strip(" -–")
        key = match_key(part)
        if _starts_with_any(key, _title_keys()) or _starts_with_any(key, _rank_keys()):
            segments.append(part)
        else:
            break
    role = _role_from_segments(segments)
    # Name-first lists give the main function first ("Bí thư Tỉnh ủy, Trưởng đoàn đại biểu Quốc hội tỉnh").
    return role.split(", ")[0] if role else None


def _localise(role: str | None, context: str) -> str | None:
    """Append the province to a local role written without it when the sentence names exactly one province."""
    if not role or not match_key(role).endswith(_LOCAL_ROLE_ENDINGS):
        return role
    from dashboard.pipeline.provinces import find_provinces  # local import: provinces imports this module's helpers

    found = {p.province for p in find_provinces(context)}
    if len(found) == 1:
        return f"{role} {found.pop()}"
    return role


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left:right]


def extract_officials(body: str, when: date | None = None) -> tuple[list[Mention], list[ForeignMention]]:
    """Officials and foreign leaders mentioned in `body`, one entry per full-name occurrence.

    >>> mentions, _ = extract_officials("Tổng Bí thư Nguyễn Phú Trọng dự hội nghị. Dự tại điểm cầu tỉnh Bình Phước có "
    ...     "Bí thư Tỉnh ủy Nguyễn Mạnh Cường. Ảnh: Minh Anh")
    >>> sorted({(m.name, m.role) for m in mentions})
    [('Nguyễn Mạnh Cường', 'Bí thư Tỉnh ủy Bình Phước'), ('Nguyễn Phú Trọng', 'Tổng Bí thư')]
    """
    text = _blank_credits(body)
    tokens = capitalised_tokens(text)
    known = reference.official_roles()
    foreign_known = reference.foreign_leaders()
    excluded = reference.not_officials()

    candidates: list[tuple[list[Token], bool, str | None, bool]] = []
    surnames = reference.surnames()
    for run in capitalised_runs(text, tokens):
        if len(run) < 2 or not any(t.key in surnames for t in run):
            continue  # a name has a family name and at least one more word
        name_tokens = _name_in_run(run)
        if not name_tokens:
            continue
        start, end = name_tokens[0].start, name_tokens[-1].end
        has_title, role, foreign = _title_before(text, start)
        after = _role_after(text, end)
        candidates.append((name_tokens, has_title or after is not None, role or after, foreign))

    official_roles: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    foreign_names: dict[str, str | None] = {}
    spans: list[tuple[int, int, str]] = []
    for name_tokens, titled, role, foreign in candidates:
        name = text[name_tokens[0].start:name_tokens[-1].end]
        key = match_key(name)
        if key in excluded:
            continue
        if key in foreign_known or foreign:
            foreign_names.setdefault(key, foreign_known.get(key, {}).get("country"))
            display.setdefault(key, name)
            continue
        if key in known or titled:
            official_roles.setdefault(key, [])
            if role:
                official_roles[key].append(_localise(role, _sentence_around(text, name_tokens[0].start, name_tokens[-1].end)))
            display.setdefault(key, known[key][0].name if key in known else name)

    folded = fold_for_search(text)
    # Reference names are also searched directly: this catches all-caps headlines and names glued to places.
    for m in _reference_name_re().finditer(folded):
        key = re.sub(r"\s+", " ", m.group(0))
        before = text[max(0, m.start() - 12):m.start()]
        prev = re.search(r"([^\W\d_]+) $", before)
        if prev and prev.group(1)[:1].isupper() and match_key(prev.group(1)) in reference.surnames():
            continue  # part of a longer name
        if key in known:
            official_roles.setdefault(key, [])
            display.setdefault(key, known[key][0].name)
        elif key in foreign_known:
            foreign_names.setdefault(key, foreign_known[key].get("country"))
            display.setdefault(key, foreign_known[key]["name"])

    mentions: list[Mention] = []
    foreigners: list[ForeignMention] = []
    for key in sorted(set(official_roles) | set(foreign_names), key=len, reverse=True):
        pattern = re.compile(r"(?<![\w])" + re.escape(key).replace(r"\ ", r"\s+") + r"(?![\w])")
        for m in pattern.finditer(folded):
            if any(a <= m.start() and m.end() <= b for a, b, _ in spans):
                continue  # inside a longer name already counted
            before = text[max(0, m.start() - 12):m.start()]
            prev = re.search(r"([^\W\d_]+) $", before)
            if prev and prev.group(1)[:1].isupper() and match_key(prev.group(1)) in reference.surnames():
                continue
            spans.append((m.start(), m.end(), key))
            if key in foreign_names and key not in official_roles:
                foreigners.append(ForeignMention(display[key], foreign_names[key], m.start(), m.end()))
            else:
                roles = [r for r in official_roles.get(key, []) if r]
                role = max(roles, key=len) if roles else reference.role_at(display[key], when)
                mentions.append(Mention(display[key], role, m.start(), m.end(), "reference" if key in known else "pattern"))
    mentions.sort(key=lambda x: x.start)
    foreigners.sort(key=lambda x: x.start)
    return mentions, foreigners
