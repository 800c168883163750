"""underthesea's word-segmentation CRF, scored from tables of weights instead of feature strings.

underthesea segments a line by writing out 43 feature strings per token ("T[-1,0].lower=hội nghị",
"T[0].is_in_dict=True", …) in its Rust featurizer, handing them to Python and back to its Rust tagger, which looks
each one up in the model and runs Viterbi over the two labels B-W (starts a word) and I-W (continues one). Building
and passing those strings is about three quarters of the time of a `word_tokenize` call.

A feature's weight depends only on the tokens its template reads: one token for "T[k]…", two adjacent tokens for
"T[k,k+1]…", three for "T[k,k+2]…". So this module reads the same model file (CRFsuite format) and the same
templates and dictionary, and keeps, for each token, pair and triple of tokens it has seen, the summed weights of
every template that reads exactly them, at each offset. A token's score is then a dozen table lookups, and Viterbi
runs on the scores. The words are the ones `word_tokenize` gives: `tests/test_segment.py` compares the two on every
line of the sample corpus and on lines built around the featurizer's edge cases (numbers, signs, capitals,
punctuation, one-token lines). Sums are taken in a different order than the Rust tagger's, so two paths whose scores
differ in the last bit of a float could in principle come out the other way round; none did on 2.4 million tokens.

`load` raises `ModelFormatError` for a model it was not written for (another file layout, labels, or template
syntax); `segment` then drives underthesea's own featurizer and tagger.
"""
from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

LABELS = ("B-W", "I-W")
_TEMPLATE_RE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_FEATURE = np.dtype([("kind", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")])


class ModelFormatError(ValueError):
    """The model is not the kind this module scores (the caller falls back to underthesea's own tagger)."""


class _Edge:
    """Beginning or end of a line: a feature that reads past it has the value "BOS" or "EOS". Not a string, so an
    article that writes "BOS" is not taken for one."""

    __slots__ = ()


BOS, EOS = _Edge(), _Edge()


def _cqdb_strings(buffer: bytes, start: int) -> list[str]:
    """The strings of a CRFsuite string database (CQDB chunk at `start`), by id."""
    if buffer[start:start + 4] != b"CQDB":
        raise ModelFormatError("no string database where the header points")
    count, backward = struct.unpack_from("<2I", buffer, start + 16)
    offsets = np.frombuffer(buffer, "<u4", count, start + backward)
    out = []
    for ident, offset in enumerate(offsets.tolist()):
        record_id, size = struct.unpack_from("<2I", buffer, start + offset)
        if record_id != ident:
            raise ModelFormatError("string database out of order")
        out.append(buffer[start + offset + 8:start + offset + 7 + size].decode("utf-8"))
    return out


def read_model(path: Path) -> tuple[dict[str, float], tuple[tuple[float, float], tuple[float, float]]]:
    """(weight of each attribute for I-W minus its weight for B-W, transition weights [from][to] in label order
    B-W, I-W) from a CRFsuite model file. Only the difference between the two labels' scores matters to Viterbi, so
    one number per attribute is kept."""
    buffer = Path(path).read_bytes()
    if buffer[:4] != b"lCRF" or buffer[8:12] != b"FOMC":
        raise ModelFormatError(f"{path} is not a CRFsuite model")
    if struct.unpack_from("<I", buffer, 4)[0] != len(buffer):
        raise ModelFormatError(f"{path} is cut short or padded: its header gives another size")
    _, _, labels_at, attributes_at = struct.unpack_from("<4I", buffer, 24)
    labels = _cqdb_strings(buffer, labels_at)
    if tuple(labels) != LABELS:
        raise ModelFormatError(f"labels {labels}, expected {list(LABELS)}")
    features_at = struct.unpack_from("<I", buffer, 28)[0]
    if buffer[features_at:features_at + 4] != b"FEAT":
        raise ModelFormatError("no feature chunk where the header points")
    count = struct.unpack_from("<I", buffer, features_at + 8)[0]
    features = np.frombuffer(buffer, _FEATURE, count, features_at + 12)
    attributes = _cqdb_strings(buffer, attributes_at)
    state = features[features["kind"] == 0]
    signed = np.where(state["target"] == 1, state["weight"], -state["weight"])  # I-W counts up, B-W down
    difference = np.zeros(len(attributes))
    np.add.at(difference, state["source"].astype(np.int64), signed)
    transitions = np.zeros((2, 2))
    moves = features[features["kind"] == 1]
    transitions[moves["source"], moves["target"]] = moves["weight"]
    weights = {attribute: value for attribute, value in zip(attributes, difference.tolist()) if value}
    return weights, tuple(map(tuple, transitions.tolist()))


def read_folder(folder: Path) -> tuple[dict[str, float], tuple, list[str], frozenset[str]]:
    """(weights, transitions, templates, dictionary) of an underthesea CRF model folder: what `WordTagger` is made
    from."""
    import joblib  # underthesea saves its templates and dictionary with it

    folder = Path(folder)
    try:
        templates = list(joblib.load(folder / "features.bin"))
        dictionary = frozenset(joblib.load(folder / "dictionary.bin"))
        weights, transitions = read_model(folder / "models.bin")
    except (OSError, struct.error, UnicodeDecodeError, TypeError) as exc:
        raise ModelFormatError(f"cannot read the model in {folder}: {exc}") from exc
    return weights, transitions, templates, dictionary


def _isdigit(text: str) -> str:
    """As underthesea's featurizer: the text parses as a 32-bit integer (an optional sign, ASCII digits)."""
    return "True" if _INT_RE.fullmatch(text) and -2 ** 31 <= int(text) < 2 ** 31 else "False"


def _istitle(text: str) -> str:
    """As underthesea's featurizer: every space-separated part starts with a character that upper-casing leaves
    alone (so digits and punctuation count as capitals)."""
    return "True" if all(part[:1] == part[:1].upper() for part in text.split(" ")) else "False"


class WordTagger:
    """Scores lines of tokens with a word-segmentation CRF held as per-n-gram weight tables."""

    def __init__(self, weights: dict[str, float], transitions, templates: Sequence[str], dictionary: frozenset[str]):
        self.source = (weights, transitions, list(templates), dictionary)  # what it was made from
        self._weights = weights
        self._functions = {None: lambda text: text, "lower": str.lower, "isdigit": _isdigit, "istitle": _istitle,
                           "is_in_dict": lambda text: "True" if text.lower() in dictionary else "False"}
        # templates grouped by how many tokens they read (span), then by the offset of the first one
        groups: dict[int, dict[int, list[tuple[str, str | None]]]] = {}
        for template in templates:
            m = _TEMPLATE_RE.fullmatch(template)
            if not m:
                raise ModelFormatError(f"template {template!r} is not one this tagger scores")
            first, last = int(m.group(1)), int(m.group(2) if m.group(2) is not None else m.group(1))
            if last < first:
                raise ModelFormatError(f"template {template!r} reads backwards")
            groups.setdefault(last - first, {}).setdefault(first, []).append((template, m.group(3)))
        self._groups = {span: sorted(by_offset.items()) for span, by_offset in sorted(groups.items())}
        self._left = max(0, -min(first for by_offset in groups.values() for first in by_offset))
        self._right = max(0, max(first + span for span, by_offset in groups.items() for first in by_offset))
        # for each span: (cached table of an n-gram -> one summed weight per first offset, the offsets)
        self._tables = [(span, lru_cache(maxsize=1 << 17)(self._table(span)), [o for o, _ in by_offset])
                        for span, by_offset in self._groups.items()]
        (self._bb, self._bi), (self._ib, self._ii) = transitions

    @classmethod
    def load(cls, folder: Path) -> WordTagger:
        """The tagger for an underthesea CRF model folder (models.bin, features.bin, dictionary.bin)."""
        return cls(*read_folder(folder))

    def _table(self, span: int):
        by_offset = self._groups[span]
        weights, functions = self._weights, self._functions

        def table(gram: tuple[str, ...]) -> tuple[float, ...]:
            # a template that reads past the line's start gives "=BOS", else past its end "=EOS" (as the featurizer)
            edge = "BOS" if gram[0] is BOS else "EOS" if any(token is EOS for token in gram) else None
            if edge:
                values = [[weights.get(template + "=" + edge, 0.0) for template, _ in group] for _, group in by_offset]
            else:
                text = " ".join(gram)
                values = [[weights.get(template + "=" + functions[function](text), 0.0) for template, function in group]
                          for _, group in by_offset]
            return tuple(sum(group) for group in values)

        return table

    def continues(self, lines: Sequence[Sequence[str]]) -> list[list[bool]]:
        """For each line of tokens, whether each token continues the word before it (I-W) or starts one (B-W)."""
        # All lines in one padded sequence: each line's windows stay inside its own BOS/EOS padding.
        padded: list[str | _Edge] = []
        starts = []
        for tokens in lines:
            padded.extend([BOS] * self._left)
            starts.append(len(padded))
            padded.extend(tokens)
            padded.extend([EOS] * self._right)
        score = np.zeros(len(padded))
        for span, table, offsets in self._tables:
            count = len(padded) - span
            if count <= 0:
                continue
            values = np.fromiter(chain.from_iterable([table(tuple(padded[j:j + span + 1])) for j in range(count)]),
                                 float, count * len(offsets)).reshape(count, len(offsets))
            for slot, first in enumerate(offsets):  # a token at q gets the n-gram starting at q + first
                column = values[:, slot]
                low, high = max(0, -first), min(len(padded), len(column) - first)
                score[low:high] += column[low + first:high + first]
        return [self._viterbi(score[start:start + len(tokens)].tolist()) if tokens else []
                for start, tokens in zip(starts, lines)]

    def _viterbi(self, score: list[float]) -> list[bool]:
        """The best label path for one line, B-W scored 0 and I-W `score` at each token; on a tie the first label
        (B-W) wins, as in underthesea's tagger."""
        bb, bi, ib, ii = self._bb, self._bi, self._ib, self._ii
        begin, inside = 0.0, score[0]
        back = []
        for value in score[1:]:
            from_b, from_i = begin + bb, inside + ib
            to_begin, begin_from = (from_i, True) if from_i > from_b else (from_b, False)
            from_b, from_i = begin + bi, inside + ii
            to_inside, inside_from = (from_i, True) if from_i > from_b else (from_b, False)
            begin, inside = to_begin, to_inside + value
            back.append((begin_from, inside_from))
        label = inside > begin
        path = [label]
        for begin_from, inside_from in reversed(back):
            label = inside_from if label else begin_from
            path.append(label)
        path.reverse()
        return path
