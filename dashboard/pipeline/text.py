"""Unicode normalisation and the matching key used everywhere names and places are compared."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Old-style -> new-style tone placement. Each pair maps two characters to two characters, so a folded string
# keeps the offsets of the original and a match found in the folded text points at the original text.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_PAIRS.update({a.upper(): b.upper() for a, b in list(_TONE_PAIRS.items())})
_TONE_PAIRS.update({a[0].upper() + a[1]: b[0].upper() + b[1] for a, b in list(_TONE_PAIRS.items()) if a.islower()})
_TONE_RE = re.compile("|".join(map(re.escape, _TONE_PAIRS)))
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalize_text(text: str) -> str:
    """Return `text` in NFC with zero-width characters removed and Windows/Mac newlines made `\\n`.

    >>> normalize_text("Ho\\u0300a Bi\\u0300nh\\r\\n") == "Hòa Bình\\n"
    True
    """
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH_RE.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold_tones(text: str) -> str:
    """Unify old/new tone placement (Hoà -> Hòa, uỷ -> ủy) without changing the length of `text`.

    >>> fold_tones("Tỉnh uỷ Khánh Hoà")
    'Tỉnh ủy Khánh Hòa'
    """
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], text)


def match_key(text: str) -> str:
    """Key for comparing names and places: NFC, lower case, new-style tones, single spaces.

    >>> match_key("  Nguyễn  Hoà Bình ") == match_key("nguyễn hòa bình")
    True
    """
    # Words and names repeat endlessly and are remembered; whole bodies are not (they would pile up in memory).
    return _short_key(text) if len(text) <= 100 else _key(text)


def _key(text: str) -> str:
    folded = fold_tones(unicodedata.normalize("NFC", text)).lower()
    return _SPACES_RE.sub(" ", folded).strip()


_short_key = lru_cache(maxsize=200_000)(_key)


def fold_for_search(text: str) -> str:
    """Lower-case, tone-folded copy of `text` with the same length, for offset-preserving searches."""
    folded = fold_tones(text)
    lowered = folded.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer (never in Vietnamese text)
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def collapse_spaces(text: str) -> str:
    """Single spaces inside a line, no spaces at its ends."""
    return _SPACES_RE.sub(" ", text).strip()


def folded_regex(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """Compile a lower-case regex for use on `fold_for_search` text (its literals get the same tone folding).

    >>> bool(folded_regex("ban đối ngoại tỉnh ủy").search(fold_for_search("Ban Đối ngoại Tỉnh uỷ")))
    True
    """
    return re.compile(fold_tones(pattern), flags)


_OPEN_SYLLABLE_TONE_RE = re.compile("(?:" + "|".join(map(re.escape, _TONE_PAIRS)) + r")(?![^\W\d_])")


def canonical_tones(text: str) -> str:
    """One spelling for display: old-style tones moved only where the two styles differ (open syllables).

    >>> canonical_tones("hoà bình, thuỷ sản, ngoại giao, hoàn thành")
    'hòa bình, thủy sản, ngoại giao, hoàn thành'
    """
    return _OPEN_SYLLABLE_TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], text)
