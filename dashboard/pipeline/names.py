"""Tokens and capitalised runs: the raw material for recognising people and places in Vietnamese text."""
from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from dashboard import reference
from dashboard.pipeline.text import match_key

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


class Token(NamedTuple):
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def key(self) -> str:
        return match_key(self.text)


def capitalised_tokens(text: str) -> list[Token]:
    """The tokens of `text` that start with a capital letter: all that `capitalised_runs` needs (a lower-case word
    between two of them leaves more than one space between them)."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text) if m.group(0)[:1].isupper()]


def capitalised_runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Maximal runs of capitalised tokens separated by exactly one space ("Bình Phước Nguyễn Mạnh Cường").

    >>> text = "Sáng nay, Bộ trưởng Bùi Thanh Sơn và bà Lê Thị Thu Hằng, Bình Phước Nguyễn Mạnh Cường"
    >>> [" ".join(t.text for t in run) for run in capitalised_runs(text, capitalised_tokens(text))]
    ['Sáng', 'Bộ', 'Bùi Thanh Sơn', 'Lê Thị Thu Hằng', 'Bình Phước Nguyễn Mạnh Cường']
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        if token.capitalised and current and text[current[-1].end:token.start] == " ":
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = [token] if token.capitalised else []
    if current:
        runs.append(current)
    return runs


def _phrase_lengths(phrases: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    return {tuple(match_key(p).split()): len(p.split()) for p in phrases}


def leading_place_length(run: list[Token]) -> int:
    """How many tokens at the start of `run` name a province or a country ("Hà Nội", "Trung Quốc"), else 0."""
    if not run:
        return 0
    keys = tuple(t.key for t in run)
    for phrase in _phrases_by_first_token().get(keys[0], ()):
        if keys[:len(phrase)] == phrase:
            return len(phrase)
    return 0


@cache
def _phrases_by_first_token() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Province and country phrases grouped by their first token, longest first within each group."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _province_phrases() + _country_phrases():
        grouped.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()}


def _province_phrases() -> tuple[tuple[str, ...], ...]:
    return _cached_phrases("province")


def _country_phrases() -> tuple[tuple[str, ...], ...]:
    return _cached_phrases("country")


@cache
def _cached_phrases(kind: str) -> tuple[tuple[str, ...], ...]:
    if kind == "province":
        forms = [f for p in reference.provinces() for f in p.forms]
    else:
        forms = list(reference.countries())
    phrases = {tuple(match_key(f).replace(".", " ").split()) for f in forms}
    return tuple(sorted(phrases, key=len, reverse=True))
