"""Keywords of an article body: Vietnamese words (underthesea's word segmentation), not syllables.

Domain phrases from `data/reference/keyword_phrases.tsv` come out whole ("ngoại giao cây tre", "Nghị quyết số 34");
officials' names and provinces are masked first (they have their own tables); stopwords from
`data/reference/stopwords_vi.txt` and tokens without letters are dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from dashboard import config
from dashboard.pipeline.segment import segment
from dashboard.pipeline.text import canonical_tones

_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
_ROMAN_RE = re.compile(r"[ivxlcdm]+")
_NOT_NEWLINE_RE = re.compile(r"[^\n]")
_LEADING_WORD_RE = re.compile(r"[^\W\d_]+")


@cache
def _phrase_patterns() -> tuple[tuple[tuple[str, re.Pattern], ...], re.Pattern]:
    """(the first word of each domain phrase in lower case with the phrase's pattern; all of them as one alternation
    for a quick first look)."""
    path = config.REFERENCE_DIR / "keyword_phrases.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    phrases = [line.split("\t")[0] for line in lines[1:]]  # after the header row
    each = tuple((_first_word(p), re.compile(r"(?<!\w)" + p + r"(?!\w)", re.I)) for p in phrases)
    return each, re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in phrases) + r")(?!\w)", re.I)


def _first_word(pattern: str) -> str:
    """The word a phrase pattern starts with, in lower case; "" (found in every line) when it starts otherwise."""
    m = _LEADING_WORD_RE.match(pattern)
    return m.group(0).lower() if m else ""


def _phrases_in(line: str) -> list[str] | None:
    """The domain phrases written in `line`, longest first, or None. Phrases may overlap, so each is looked for, but
    only in a line that holds one, and only when its first word is there."""
    each, anyone = _phrase_patterns()
    if not anyone.search(line):
        return None
    lowered = line.lower()
    return sorted({m.group(0) for first, p in each if first in lowered for m in p.finditer(line)}, key=len, reverse=True)


@cache
def stopwords() -> frozenset[str]:
    """The curated list plus every function title and Party rank (they introduce names, not topics)."""
    from dashboard import reference

    path = config.REFERENCE_DIR / "stopwords_vi.txt"
    words = {canonical_tones(line.strip().lower()) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    for title in reference.role_titles() + reference.rank_prefixes():
        words.add(canonical_tones(" ".join(title.lower().split())))
    return frozenset(words)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every character inside `spans` but newlines turned into a space (offsets are kept)."""
    out, done = [], 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end > start:
            out.append(text[done:start])
            out.append(_NOT_NEWLINE_RE.sub(" ", text[start:end]))
            done = end
    out.append(text[done:])
    return "".join(out)


@lru_cache(maxsize=65536)
def _term(token: str) -> str | None:
    """A segmented word as a keyword (lower case, one space between syllables, tones in one place), or None when it
    is a stopword, too short, a Roman numeral or has no letter."""
    term = canonical_tones(" ".join(token.replace("_", " ").lower().split()))
    if len(term) < 2 or not _LETTER_RE.search(term) or term in stopwords() or _ROMAN_RE.fullmatch(term):
        return None
    return term


def extract_keywords(body: str, masked_spans: list[tuple[int, int]] | None = None) -> Counter:
    """Term counts of `body`, terms in lower case with spaces between syllables.

    >>> counts = extract_keywords("Phát huy bản sắc ngoại giao cây tre Việt Nam, triển khai Nghị quyết số 34.")
    >>> sorted(counts)
    ['bản sắc', 'nghị quyết số 34', 'ngoại giao cây tre', 'việt nam']
    """
    text = _mask(body, masked_spans or [])
    lines = [line for line in text.split("\n") if line.strip()]  # underthesea does not split on newlines
    fixed = [_phrases_in(line) for line in lines]
    counts: Counter = Counter()
    for words in segment(lines, fixed):
        counts.update(term for term in map(_term, words) if term is not None)
    return counts
