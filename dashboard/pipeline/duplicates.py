"""Near-duplicate wire stories: the same report republished by several outlets with small edits.

Each body becomes a set of hashed word 5-shingles. Candidate pairs come from MinHash signatures cut into bands
(locality-sensitive hashing): two articles become candidates when one band of their signatures is equal, which
happens with high probability above ~0.5 Jaccard and almost never for unrelated articles, so the work grows with
the corpus, not with its square. Each candidate pair is then verified on the full shingle sets: the shared shingles
must cover at least 60% of the shorter article (containment), which survives a dropped sentence or a reworded lead.
Shingles are 56-bit hashes, so two different 5-grams colliding is practically impossible.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.pipeline.text import match_key

SHINGLE = 5
THRESHOLD = 0.6
PERMUTATIONS = 64
ESTIMATE_MARGIN = 0.15  # about 2.5 standard errors of a 64-value MinHash estimate
SIZE_SLACK = 0.8  # body length stands in for the number of 5-grams: allow for the difference
GRAMS_KEPT = 8_000_000  # 5-gram hashes held at once while verifying (64 MB): every set of a 10k corpus fits
BANDS = 16  # 16 bands of 4 rows: candidate probability 0.5 at Jaccard ~0.5, 0.98 at 0.7
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20231219)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_GRAM_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: the position of a word inside its 5-gram changes the hash
_MASK_56 = np.uint64((1 << 56) - 1)


class _WordHashes(dict):
    """word -> the word as a stable 64-bit integer (the same in every process, so signatures can be cached), case
    and tone placement ignored; each word hashed once. A plain dict, looked up from C by `map`: a body's words are
    hashed for every candidate pair it is verified in."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 1 << 20:  # a vocabulary this large is not words: start again rather than grow
            self.clear()
        value = self[word] = int.from_bytes(hashlib.blake2b(match_key(word).encode(), digest_size=8).digest(), "big")
        return value


_word_hash = _WordHashes()


def shingles(text: str) -> np.ndarray:
    """The word 5-grams of `text` (case and tone placement ignored; a text shorter than five words is one gram) as
    sorted distinct 56-bit hashes: each word is hashed once, and its 5-grams are combined from the word hashes in one
    vectorised pass. Words are folded one distinct word at a time (remembered), not the whole body each time: a
    rebuild verifies tens of thousands of old bodies against the new ones."""
    words = _WORD_RE.findall(unicodedata.normalize("NFC", text))
    if not words:
        return np.empty(0, np.uint64)
    hashes = np.fromiter(map(_word_hash.__getitem__, words), np.uint64, len(words))
    width = min(SHINGLE, len(words))
    combined = np.zeros(len(words) - width + 1, np.uint64)
    for k in range(width):
        combined = combined * _GRAM_MULTIPLIER + hashes[k:len(words) - width + 1 + k]
    return _sorted_distinct(combined & _MASK_56)


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` by sorting: NumPy 2.3+ finds distinct integers by hashing, several times slower here for
    both a body's few hundred 5-grams and millions of candidate codes."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def signature(text: str) -> list[int]:
    """The MinHash signature of `text`, computed once per article at extraction (and cached with it)."""
    return _signature(shingles(text)).tolist()


def _signature(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = values.astype(np.uint64, copy=False)
    # (a*x + b) mod p on 56-bit x would overflow 64 bits; mixing with xor-multiply keeps it cheap and well spread.
    hashed = (x[None, :] * _A[:, None] + _B[:, None]) ^ (x[None, :] >> np.uint64(17))
    return hashed.min(axis=1)


@dataclass
class Verdicts:
    """Exact verifications of candidate pairs: row numbers `first` < `second` and whether the later one republishes
    the earlier (`same`), as arrays sorted by (second, first). Rebuilds reuse them instead of verifying again."""
    first: np.ndarray
    second: np.ndarray
    same: np.ndarray

    @classmethod
    def empty(cls) -> "Verdicts":
        return cls(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, bool))

    def __len__(self) -> int:
        return len(self.same)


def _band_keys(signatures: np.ndarray, band: int) -> np.ndarray:
    """One band of every signature as one opaque value (its rows' bytes), for sorting and equality."""
    rows = PERMUTATIONS // BANDS
    block = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
    return block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()


def candidate_pairs(signatures: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Pairs of rows worth verifying, as codes `second * n + first` (first < second), sorted and unique.

    Rows sharing a band are only candidates when their signatures agree on enough positions to make 60% containment
    plausible: two articles whose 5-gram sets differ in size by a ratio r can reach it only with a Jaccard similarity
    of at least 0.6·r / (1 + 0.4·r), and the share of equal MinHash values estimates that similarity (standard error
    under 0.07 with 64 values). Pages written from one template (or synthetic benchmarks) share bands by the
    thousand; this keeps their pairs from being verified one by one.
    """
    n = len(signatures)
    found = [np.empty(0, np.int64)]
    for band in range(BANDS):
        keys = _band_keys(signatures, band)
        by_key = np.argsort(keys, kind="stable")
        ordered = keys[by_key]
        bounds = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        starts, ends = np.r_[0, bounds], np.r_[bounds, n]
        lengths = ends - starts
        shared = (lengths > 1) & (lengths <= 200)  # an enormous bucket is boilerplate, not a story
        for size in np.unique(lengths[shared]):  # buckets of one size are compared together
            first_rows = starts[shared & (lengths == size)]
            per_step = max(1, (1 << 22) // int(size * size * PERMUTATIONS))
            for step in range(0, len(first_rows), per_step):
                members = np.sort(by_key[first_rows[step:step + per_step, None] + np.arange(size)], axis=1)
                found.append(_plausible_pairs(members, signatures, sizes, n))
    return _sorted_distinct(np.concatenate(found))


def _plausible_pairs(members: np.ndarray, signatures: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """Codes of the plausible pairs inside buckets of equal size (`members`: one bucket's rows per line, sorted)."""
    matrix = signatures[members]
    similar = (matrix[:, :, None, :] == matrix[:, None, :, :]).mean(axis=3)
    size = sizes[members].astype(float)
    ratio = np.minimum(size[:, :, None], size[:, None, :]) / \
        np.maximum(np.maximum(size[:, :, None], size[:, None, :]), 1.0) * SIZE_SLACK
    upper = np.triu(np.ones((members.shape[1], members.shape[1]), bool), k=1)
    bucket, i, j = np.nonzero((similar >= 0.6 * ratio / (1 + 0.4 * ratio) - ESTIMATE_MARGIN) & upper)
    return members[bucket, j].astype(np.int64) * n + members[bucket, i]


def _shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values share (`len(np.intersect1d(a, b))`), by binary search of
    the shorter in the longer instead of sorting both together."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return int(np.count_nonzero(b[at] == a))


class _GramSets:
    """The 5-gram sets of rows (hashed, sorted, distinct), computed from `body(row)` on first use and kept, least
    recently used first out, up to GRAMS_KEPT hashes in all. A row pairs with many others, so a set kept by count
    (a few thousand) was computed again and again: five times per row at 100k articles."""

    def __init__(self, body: Callable[[int], str]):
        self._body, self._kept, self._size = body, OrderedDict(), 0

    def __call__(self, row: int) -> np.ndarray:
        grams = self._kept.get(row)
        if grams is not None:
            self._kept.move_to_end(row)
            return grams
        grams = shingles(self._body(row))
        self._kept[row] = grams
        self._size += len(grams)
        while self._size > GRAMS_KEPT and len(self._kept) > 1:
            self._size -= len(self._kept.popitem(last=False)[1])
        return grams


def link_duplicates(body: Callable[[int], str], signatures: np.ndarray, sizes: np.ndarray,
                    known: Verdicts | None = None) -> tuple[np.ndarray, Verdicts]:
    """For rows in publication order (earliest first): the row each one republishes (the earliest of its story), or
    -1; and the verdicts on every candidate pair, for the next build.

    `body(row)` gives a row's text, asked only for rows whose candidate pairs are verified now; `signatures` are the
    rows' MinHash signatures (one row each), `sizes` their body lengths. Pairs found in `known` are not verified again.

    >>> text = "Sáng 14/12, Tổng Bí thư Nguyễn Phú Trọng chủ trì Hội nghị Đối ngoại toàn quốc tại Hà Nội với nhiều đại biểu"
    >>> bodies = [text, "(BDO) " + text + " dự.", "Một bài khác hẳn về kinh tế biển."]
    >>> original, verdicts = link_duplicates(bodies.__getitem__, np.array([signature(b) for b in bodies], np.uint64),
    ...                                      np.array([len(b) for b in bodies]))
    >>> original.tolist(), len(verdicts)
    ([-1, 0, -1], 1)
    """
    n = len(signatures)
    codes = candidate_pairs(signatures, sizes) if n else np.empty(0, np.int64)
    same = np.zeros(len(codes), bool)
    fresh = np.ones(len(codes), bool)
    if known is not None and len(known):
        known_codes = known.second.astype(np.int64) * n + known.first
        order = np.argsort(known_codes)
        known_codes, known_same = known_codes[order], known.same[order]
        at = np.minimum(np.searchsorted(known_codes, codes), len(known_codes) - 1)
        hit = known_codes[at] == codes
        same[hit], fresh[hit] = known_same[at[hit]], False

    gram_set = _GramSets(body)

    for index in np.flatnonzero(fresh):
        second, first = divmod(int(codes[index]), n)
        a, b = gram_set(first), gram_set(second)
        shared = _shared_count(a, b)
        same[index] = shared / (min(len(a), len(b)) or 1) >= THRESHOLD
    root = np.arange(n)

    def find(row: int) -> int:
        while root[row] != row:
            root[row] = root[root[row]]
            row = root[row]
        return row

    for code in codes[same]:  # every story's rows join its earliest row
        second, first = divmod(int(code), n)
        a, b = find(first), find(second)
        if a != b:
            root[max(a, b)] = min(a, b)
    original = np.array([find(row) for row in range(n)], dtype=np.int64)
    original[original == np.arange(n)] = -1
    return original, Verdicts(codes % n if n else codes, codes // n if n else codes, same)
