"""Where the article is in a scraped page: title line, date line, body, byline and boilerplate (ANNOTATION.md).

The body is the title line, the article text and the photo captions. A byline, and everything after it, is
boilerplate; so are menus and tickers above the title, and the related-news, counter, footer and comment blocks
below the text, which are recognised by the marker lines in `data/reference/boilerplate_markers.txt`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dashboard import reference
from dashboard.pipeline.dates import is_date_line, parse_full_date
from dashboard.pipeline.text import collapse_spaces, match_key

_SEPARATORS_RE = re.compile(r"\s(?:>|»|›|\||/|·|•)\s|^(?:>|»|\||•)|\s\|$")
_NOISE_RE = re.compile(r"^[\d\s.,:;_\-–—|/()]*$|^\d+\s+\d{6,}$|^[\W_]+$")
_WORD_RE = re.compile(r"[^\W\d_][\w.'’-]*", re.UNICODE)
_PAREN_RE = re.compile(r"\([^)]{0,40}\)|\[[^\]]{0,40}\]")
_SENTENCE_END = (".", "…", "!", "?", ":", ";", '."', ".”", "./.", '?"', "?”")
_LEAD_ABBREV_RE = re.compile(r"^\(\s*([^()]{2,20}?)\s*\)\s*[-–—:]?\s*")
# Words that make a capitalised short line a heading or caption rather than a person's name.
_NON_NAME_WORDS = {"hội", "nghị", "ngoại", "giao", "đối", "bộ", "ban", "đảng", "tỉnh", "phố", "ủy", "uỷ", "ubnd", "hđnd",
                   "ương", "phủ", "tin", "bài", "ảnh", "video", "xem", "trang", "chủ", "sứ", "tổng", "thư", "bí", "tịch",
                   "báo", "đài", "tạp", "chí", "cổng", "tử", "tấn", "xã", "liên", "hệ", "giới", "thiệu", "đăng", "nhập",
                   "tìm", "kiếm", "quốc hội", "trưởng", "viên", "ngữ", "english", "tiếng"}
_BYLINE_ABBREV = {"pv", "p.v", "btv", "ctv", "ttxvn", "vna", "vov", "vtv", "nhóm pv", "tpv", "ptv", "ttx"}


@dataclass
class Segmented:
    """An article split into its parts; `body_lines` are the body without the title line."""
    title: str | None
    published: date | None
    date_line: str | None
    body_lines: list[str]
    byline: str | None
    lead_abbreviation: str | None = None
    dropped: list[str] = field(default_factory=list)

    @property
    def body_text(self) -> str:
        """The body as the extractors see it: title line first, then one line per paragraph or caption."""
        return "\n".join(([self.title] if self.title else []) + self.body_lines)


def _words(line: str) -> list[str]:
    return _WORD_RE.findall(line)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_boilerplate_marker(line: str) -> bool:
    """A line that starts page furniture: "Tin cùng chuyên mục", "Xem nhiều nhất", "Tổng số điểm của bài viết là: 10" …"""
    whole, prefixes = reference.boilerplate_markers()
    key = match_key(line).rstrip(":").strip()
    if key in whole:
        return True
    return any(key.startswith(p) for p in prefixes)


def _name_like(line: str) -> bool:
    """A short line made only of capitalised name syllables: "Lâm Anh", "Trí Dũng- Quốc Chiến", "Thu Hằng (TTXVN)"."""
    if len(line) > 60 or line.endswith((".", ":", "?", "!")) and not line.endswith(("./.",)):
        return False
    stripped = _PAREN_RE.sub(" ", line)
    words = [w for w in _words(stripped) if match_key(w) not in ("và", "-", "–")]
    if not words or len(words) > 8:
        return False
    if match_key(stripped.strip(" -–/,")) in _BYLINE_ABBREV:
        return True
    if not all(_is_capitalised(w) for w in words):
        return False
    if any(match_key(w) in _NON_NAME_WORDS for w in words):
        return False
    return len(words) >= 2 or "." in words[0]


def is_byline(line: str) -> bool:
    """True for an author or source credit line that ends the article.

    >>> [is_byline(x) for x in ["Lâm Anh", "Tác giả: Theo Đài PT-TH và Báo Bình Phước", "Theo Báo điện tử Đảng Cộng sản",
    ...  "Theo đó, hội nghị thống nhất các nhiệm vụ trọng tâm.", "Quang cảnh hội nghị"]]
    [True, True, True, False, False]
    """
    line = line.strip()
    if not line or len(line) > 120:
        return False
    key = match_key(line)
    for prefix in reference.byline_prefixes():
        if key.startswith(prefix):
            rest = line[len(prefix):].strip(" :")
            if prefix == "theo":
                words = _words(rest)
                return (bool(words) and _is_capitalised(words[0]) and len(line) <= 80 and not line.endswith(".")
                        and match_key(words[0]) not in ("đó", "đây"))
            return len(rest) <= 60 and "?" not in rest and sum(w.islower() for w in _words(rest)) <= 2
    return _name_like(line)


def _is_paragraph(line: str) -> bool:
    words = _words(line)
    if len(line) >= 250:
        return True
    return len(line) >= 80 and len(words) >= 14 and line.rstrip().endswith(_SENTENCE_END)


_FUNCTION_WORDS = {"tại", "của", "và", "dự", "với", "cho", "trong", "lần", "thứ", "về", "đã", "sẽ", "là", "các",
                   "những", "được", "có", "từ", "đến", "năm", "ngày"}


def _menu_word_share(line: str) -> float:
    """Share of the words of `line` that belong to site section names ("Thời sự", "Kinh tế" …)."""
    key = " " + match_key(line) + " "
    total = len(key.split())
    covered = 0
    for word in reference.menu_words():
        while f" {word} " in key:
            key = key.replace(f" {word} ", " | ", 1)
            covered += len(word.split())
    return covered / total if total else 0.0


def _is_menu(line: str) -> bool:
    if _SEPARATORS_RE.search(line):
        return True
    words = _words(line)
    if line.isupper():
        # An all-caps headline still has function words; a menu or banner in capitals does not.
        return not any(match_key(w) in _FUNCTION_WORDS for w in words)
    if len(words) >= 4 and sum(_is_capitalised(w) for w in words) / len(words) > 0.75:
        return True
    if len(words) >= 3 and _menu_word_share(line) >= 0.6:
        return True
    return is_boilerplate_marker(line)


def _title_like(line: str) -> bool:
    words = _words(line)
    if not (4 <= len(words) <= 60) or len(line) > 320:
        return False
    if line.rstrip().endswith((".", ";", ",")) and not line.rstrip().endswith(("...", "…")):
        return False
    if line.startswith("(") or is_date_line(line) or _is_menu(line) or is_byline(line):
        return False
    return any(not _is_capitalised(w) for w in words) or line.isupper()


def is_inline_boilerplate(line: str) -> bool:
    """A link line inside the article ("Xem thêm: Thủ tướng tiếp Đại sứ …"): not body, but not the end of it."""
    key = match_key(line)
    return any(key.startswith(p) for p in reference.inline_boilerplate_prefixes())


def is_noise(line: str) -> bool:
    """Image ids, counters and separator lines that carry no text ("2222 15424319122023")."""
    return bool(_NOISE_RE.match(line))


def segment_lines(lines: list[str], title: str | None = None, title_index: int | None = None,
                  byline_index: int | None = None) -> Segmented:
    """Split page lines into title, date line, body and byline.

    `title`/`title_index` are given when the caller already knows the headline (an HTML <h1>), `byline_index`
    when the page marks its author element.
    """
    lines = [collapse_spaces(x) for x in lines]
    index = [i for i, line in enumerate(lines) if line]
    fallback = (title_index + 1) if title_index is not None else (index[0] if index else 0)
    first_para = next((i for i in index if _is_paragraph(lines[i])), fallback)
    if title_index is not None and title_index > first_para:
        first_para = next((i for i in index if i > title_index and _is_paragraph(lines[i])), first_para)

    header = [i for i in index if i < first_para]
    date_lines = [i for i in index if i <= first_para + 2 and is_date_line(lines[i])]
    date_index = date_lines[0] if date_lines else None

    if title_index is None and title is None:
        candidates = [i for i in header if i not in date_lines and _title_like(lines[i])]
        if candidates:
            if date_index is not None:
                # The title sits just above the article's date line; a site header's "today" date comes first.
                above = [(d, [i for i in candidates if i < d]) for d in date_lines]
                above = [(d, c) for d, c in above if c]
                title_index = above[-1][1][-1] if above else candidates[0]
            else:
                title_index = candidates[0]
            title = lines[title_index]
    if title_index is not None and date_lines:
        # The article's own date line: the first one after the title, else the nearest one above it.
        after = [i for i in date_lines if i > title_index]
        date_index = after[0] if after else date_lines[-1]

    dropped: list[str] = []
    if title_index is not None:
        body_start = title_index + 1
        dropped.extend(lines[i] for i in index if i < title_index)
    else:
        junk = [i for i in header if i == date_index or _is_menu(lines[i]) or is_noise(lines[i]) or is_byline(lines[i])]
        body_start = next((i for i in index if i not in junk), first_para)
        dropped.extend(lines[i] for i in index if i < body_start)

    body_end, byline = len(lines), None
    marked = byline_index is not None and byline_index > first_para and bool(lines[byline_index])
    if marked:
        # The page marks its author element after the text: trust it over name-like lines (a tweet's attribution).
        body_end, byline = byline_index, lines[byline_index]
    for i in index:
        if i >= body_end:
            break
        if i <= max(first_para, body_start - 1):
            continue
        if is_inline_boilerplate(lines[i]):
            continue
        if is_boilerplate_marker(lines[i]):
            body_end = i
            break
        if not marked and is_byline(lines[i]):
            body_end, byline = i, lines[i]
            break

    published = parse_full_date(lines[date_index]) if date_index is not None else None
    if published is None and byline is not None:
        after = next((i for i in index if i > body_end), None)
        for candidate in (byline, lines[after] if after is not None else ""):
            if candidate and is_date_line(candidate):
                published = parse_full_date(candidate)
                break

    body_lines = []
    for i in index:
        if not (body_start <= i < body_end) or i == date_index:
            continue
        line = lines[i]
        top_byline = byline_index is not None and i == byline_index and i <= first_para
        if is_noise(line) or is_inline_boilerplate(line) or top_byline or (i < first_para and (_is_menu(line) or is_byline(line))):
            dropped.append(line)
            continue
        body_lines.append(line)
    dropped.extend(lines[i] for i in index if i >= body_end)

    lead = None
    if body_lines:
        match = _LEAD_ABBREV_RE.match(body_lines[0])
        if match and match.group(1).replace(".", "").replace("&", "").replace(" ", "").isupper():
            lead = match.group(1)
    return Segmented(title=title, published=published, date_line=lines[date_index] if date_index is not None else None,
                     body_lines=body_lines, byline=byline, lead_abbreviation=lead, dropped=dropped)


def segment_text(text: str) -> Segmented:
    """Split a plain-text scrape into its parts.

    >>> doc = segment_text("Bế mạc Hội nghị Ngoại giao lần thứ 32\\n\\nThứ ba - 19/12/2023 16:44\\n\\n" + "Sáng 23/12, Hội nghị "
    ...                    "Ngoại giao lần thứ 32 bế mạc tại Hà Nội sau năm ngày làm việc với nhiều phiên thảo luận sôi nổi và "
    ...                    "thống nhất cao về phương hướng công tác của ngành trong thời gian tới.\\nLâm Anh\\nTin cùng chuyên mục")
    >>> (doc.title, str(doc.published), doc.byline, len(doc.body_lines))
    ('Bế mạc Hội nghị Ngoại giao lần thứ 32', '2023-12-19', 'Lâm Anh', 1)
    """
    return segment_lines(text.split("\n"))

