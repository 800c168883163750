"""Near-duplicate wire stories: the same report republished by several outlets with small edits.

Each body becomes a set of hashed word 5-shingles. Candidate pairs come from MinHash signatures cut into bands
(locality-sensitive hashing): two articles become candidates when one band of their signatures is equal, which
happens with high probability above ~0.5 Jaccard and almost never for unrelated articles, so the work grows with
the corpus, not with its square. Each candidate pair is then verified exactly: the shared shingles must cover at
least 60% of the shorter article (containment), which survives a dropped sentence or a reworded lead.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import lru_cache

import numpy as np

from dashboard.pipeline.text import match_key

SHINGLE = 5
THRESHOLD = 0.6
PERMUTATIONS = 64
ESTIMATE_MARGIN = 0.15  # about 2.5 standard errors of a 64-value MinHash estimate
SIZE_SLACK = 0.8  # body length stands in for the number of 5-grams: allow for the difference
GRAM_SETS_KEPT = 4096  # 5-gram sets held at once while verifying (pairs come in order, so neighbours repeat)
BANDS = 16  # 16 bands of 4 rows: candidate probability 0.5 at Jaccard ~0.5, 0.98 at 0.7
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20231219)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def grams(text: str) -> set[str]:
    """Word 5-grams of `text` (case and tone placement ignored)."""
    words = _WORD_RE.findall(match_key(text))
    return {g for g in (" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))) if g}


def shingles(text: str) -> set[int]:
    """Word 5-grams hashed to stable 56-bit integers (the same in every process, so signatures can be cached)."""
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=7).digest(), "big") for g in grams(text)}


def signature(text: str) -> list[int]:
    """The MinHash signature of `text`, computed once per article at extraction (and cached with it)."""
    return [int(v) for v in _signature(shingles(text))]


def _signature(values: set[int]) -> np.ndarray:
    if not values:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = np.fromiter(values, dtype=np.uint64, count=len(values))
    # (a*x + b) mod p on 56-bit x would overflow 64 bits; mixing with xor-multiply keeps it cheap and well spread.
    hashed = (x[None, :] * _A[:, None] + _B[:, None]) ^ (x[None, :] >> np.uint64(17))
    return hashed.min(axis=1)


def link_duplicates(bodies: dict[str, str], order: list[str], signatures: dict | None = None,
                    verdicts: dict | None = None, sizes: dict[str, int] | None = None) -> dict[str, str | None]:
    """Map each article id to the id of the story it republishes (the first in `order`), or None.

    `verdicts` ((id, id) in sorted order -> is a republication) remembers exact verifications across builds: pairs
    found there are not verified again, and pairs verified now are added to it. `sizes` (body lengths) sharpen the
    pre-filter below; without them the bodies are measured.

    Articles sharing a band are only candidates when their signatures agree on enough positions to make 60%
    containment plausible: two articles whose 5-gram sets differ in size by a ratio r can reach it only with a Jaccard
    similarity of at least 0.6·r / (1 + 0.4·r), and the share of equal MinHash values estimates that similarity
    (standard error under 0.07 with 64 values). Pages written from one template (or synthetic benchmarks) share
    bands by the thousand; this keeps their pairs from being verified one by one.

    >>> text = "Sáng 14/12, Tổng Bí thư Nguyễn Phú Trọng chủ trì Hội nghị Đối ngoại toàn quốc tại Hà Nội với nhiều đại biểu"
    >>> link_duplicates({"a": text, "b": "(BDO) " + text + " dự.", "c": "Một bài khác hẳn về kinh tế biển."}, ["a", "b", "c"])
    {'a': None, 'b': 'a', 'c': None}
    """
    @lru_cache(maxsize=GRAM_SETS_KEPT)
    def gram_set(key: str) -> frozenset[str]:  # only candidates need their 5-grams (compared as strings: no hashing)
        return frozenset(grams(bodies[key]))

    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    minhashes: dict[str, np.ndarray] = {}
    for key in order:
        known = signatures.get(key) if signatures else None
        minhash = minhashes[key] = np.asarray(known, dtype=np.uint64) if known is not None and len(known) else \
            _signature(shingles(bodies[key]))
        for band in range(BANDS):
            buckets[(band, minhash[band * rows:(band + 1) * rows].tobytes())].append(key)
    candidates: set[tuple[str, str]] = set()
    rank = {k: i for i, k in enumerate(order)}
    for members in buckets.values():
        if 1 < len(members) <= 200:  # an enormous bucket is boilerplate, not a story
            matrix = np.stack([minhashes[k] for k in members])
            similar = (matrix[:, None, :] == matrix[None, :, :]).mean(axis=2)
            size = np.array([sizes[k] if sizes else len(bodies[k]) for k in members], dtype=float)
            ratio = np.minimum.outer(size, size) / np.maximum(np.maximum.outer(size, size), 1.0) * SIZE_SLACK
            plausible = np.triu(similar >= 0.6 * ratio / (1 + 0.4 * ratio) - ESTIMATE_MARGIN, k=1)
            for i, j in zip(*np.nonzero(plausible)):
                a, b = members[i], members[j]
                candidates.add((a, b) if rank[a] < rank[b] else (b, a))
    parent = {k: k for k in order}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    verdicts = {} if verdicts is None else verdicts
    for a, b in sorted(candidates, key=lambda pair: (rank[pair[1]], rank[pair[0]])):
        pair = (a, b) if a < b else (b, a)
        same = verdicts.get(pair)
        if same is None:
            first, second = gram_set(a), gram_set(b)
            same = verdicts[pair] = len(first & second) / (min(len(first), len(second)) or 1) >= THRESHOLD
        if same:
            ra, rb = find(a), find(b)
            if ra != rb:
                keep, drop = (ra, rb) if rank[ra] < rank[rb] else (rb, ra)
                parent[drop] = keep
    return {key: (None if find(key) == key else find(key)) for key in order}
