"""Bytes -> text, with a reason when a file cannot be used as an article.

Encodings seen in Vietnamese press scrapes: UTF-8 (with or without BOM), UTF-16 from Windows tools, Windows-1258
(tone marks as combining characters) from old CMS exports, and NFD text from macOS. charset-normalizer is used for
detection beyond the BOM and strict-UTF-8 checks because it scores decodings by how plausible the text is, which beats
a hand-written list of trial codecs.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from dashboard.pipeline.text import normalize_text

_VIETNAMESE_CHARS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
# Windows-1258 tone bytes read as Windows-1252 come out as ì ò Ì Ò after a vowel ("Hôòi", "maòc"): Vietnamese
# never writes a grave-toned i/o right after another vowel.
_MISREAD_RE = re.compile(r"[aeiouyâêôơưăAEIOUYÂÊÔƠƯĂ][ìòÌÒ]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Codecs worth trying for Vietnamese text when UTF-8 fails, in order of how often they occur.
_LEGACY_CODECS = ("cp1258", "cp1252", "latin-1")


class RejectedFile(Exception):
    """A file that cannot be used as an article; `reason` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _vietnamese_ratio(text: str) -> float:
    """How Vietnamese a decoding looks: share of Vietnamese letters, minus a heavy penalty for letters Vietnamese
    never uses (ð, þ, ø, ñ …) and for marks left uncombined, which is what a wrong Latin code page produces."""
    # counted per distinct character (Counter counts in C): a page has a few hundred, and millions of characters
    letters = {c: n for c, n in Counter(text.lower()).items() if c.isalpha() or unicodedata.combining(c)}
    total = sum(letters.values())
    if not total:
        return 0.0
    vietnamese = sum(n for c, n in letters.items() if c in _VIETNAMESE_CHARS)
    foreign = sum(n for c, n in letters.items() if not c.isascii() and c not in _VIETNAMESE_CHARS)
    misread = len(_MISREAD_RE.findall(text))
    return (vietnamese - 5 * foreign - 5 * misread) / total


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])  # not tab, newline, vertical tab, form feed, carriage return


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.02


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    codec = "utf-16-le" if odd_nuls > 0.3 and even_nuls < 0.05 else "utf-16-be" if even_nuls > 0.3 and odd_nuls < 0.05 else None
    if codec is None:
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode an article file, or raise `RejectedFile` saying why it cannot be read.

    >>> decode_bytes("Hội nghị Ngoại giao".encode("utf-16")).text
    'Hội nghị Ngoại giao'
    >>> decode_bytes("Khánh Hòa".encode("utf-8-sig")).encoding
    'utf-8-sig'
    """
    if not data.strip():
        raise RejectedFile("empty", "the file has no text")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _finish(data.decode(codec), codec)
            except UnicodeDecodeError as exc:
                raise RejectedFile("undecodable", f"starts with a {codec} byte-order mark but is not {codec}: {exc.reason}")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _finish(data.decode(utf16), utf16)
    if _looks_binary(data):
        raise RejectedFile("binary", "the file holds binary data (NUL or control bytes), not text")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return _finish(data.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass
    candidates = ["cp1258"]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1"]).best()
        if best is not None:
            candidates.append(best.encoding)
    except Exception:  # detection is a hint; the trial decodings below decide
        pass
    candidates.extend(_LEGACY_CODECS)
    best_text, best_codec, best_score = None, None, -1.0
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _vietnamese_ratio(normalize_text(text))
        if score > best_score + 1e-9:
            best_text, best_codec, best_score = text, codec, score
    if best_text is None or best_score < 0.02:
        raise RejectedFile("undecodable", "not valid UTF-8/UTF-16 and no legacy encoding yields Vietnamese text")
    return _finish(best_text, best_codec)


def _finish(text: str, codec: str) -> Decoded:
    text = normalize_text(text)
    if not text.strip():
        raise RejectedFile("empty", "the file has no text after decoding")
    if "\ufffd" in text and text.count("\ufffd") > len(text) * 0.01:
        raise RejectedFile("undecodable", f"decoding as {codec} leaves many replacement characters")
    return Decoded(text=text, encoding=codec)
