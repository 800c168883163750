"""Near-duplicate wire stories: the same report republished by several outlets with small edits.

Each body becomes a set of hashed word 5-shingles; two articles are near-duplicates when the overlap covers most
of the shorter one (containment >= 0.6), which survives a dropped sentence or a reworded lead. Candidate pairs come
from an inverted index over the shingles, so the work grows with the number of shared shingles, not with n².
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from dashboard.pipeline.text import match_key

SHINGLE = 5
THRESHOLD = 0.6
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str) -> set[int]:
    """Hashed word 5-grams of `text` (case and tone placement ignored)."""
    words = _WORD_RE.findall(match_key(text))
    grams = (" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams if g}


def link_duplicates(bodies: dict[str, str], order: list[str]) -> dict[str, str | None]:
    """Map each article id to the id of the story it republishes (the first in `order`), or None.

    >>> text = "Sáng 14/12, Tổng Bí thư Nguyễn Phú Trọng chủ trì Hội nghị Đối ngoại toàn quốc tại Hà Nội với nhiều đại biểu"
    >>> link_duplicates({"a": text, "b": "(BDO) " + text + " dự.", "c": "Một bài khác hẳn về kinh tế biển."}, ["a", "b", "c"])
    {'a': None, 'b': 'a', 'c': None}
    """
    sets = {k: shingles(v) for k, v in bodies.items()}
    index: dict[int, list[str]] = defaultdict(list)
    for key in order:
        for s in sets[key]:
            index[s].append(key)
    rank = {k: i for i, k in enumerate(order)}
    parent = {k: k for k in order}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for key in order:
        shared: dict[str, int] = defaultdict(int)
        for s in sets[key]:
            for other in index[s]:
                if rank[other] < rank[key]:
                    shared[other] += 1
        for other, count in shared.items():
            smaller = min(len(sets[key]), len(sets[other])) or 1
            if count / smaller >= THRESHOLD:
                a, b = find(key), find(other)
                if a != b:
                    keep, drop = (a, b) if rank[a] < rank[b] else (b, a)
                    parent[drop] = keep
    result = {}
    for key in order:
        root = find(key)
        result[key] = None if root == key else root
    return result
