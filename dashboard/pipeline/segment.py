"""Vietnamese word segmentation with underthesea's CRF model, a whole article at a time.

`underthesea.word_tokenize` does per call: normalise the characters, split the line with its token pattern,
normalise each token, compute the CRF features, tag. Called line by line it pays the set-up of every step once per
line, and a call with `fixed_words` leaves its pattern behind in the module for every later call, so a line's words
could depend on which lines that process segmented before.

`segment` gives exactly the words `word_tokenize` gives line by line (tested on the sample corpus), with the lines of
an article tagged together, token normalisation remembered, and fixed words that apply to their own line only.
It tags with `crf.WordTagger`, which scores underthesea's own model from weight tables (2 to 7 times faster than
underthesea's featurizer and tagger, depending on how often tokens repeat). If the model is not one that tagger
reads, it tags with underthesea's featurizer and tagger; if underthesea's internals are not the ones this was
written against, it calls `word_tokenize` itself.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from dashboard.pipeline.crf import ModelFormatError, WordTagger


@cache
def _model():
    """(tagger: lines of tokens -> for each token whether it continues a word, token pattern parts, character map,
    token normaliser), or None to use word_tokenize."""
    try:
        import underthesea.pipeline.word_tokenize as word_tokenize_module
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.text_normalize.text_normalizer import character_map
        from underthesea.pipeline.word_tokenize import regex_tokenize

        parts = (tuple(regex_tokenize.regex_patterns), dict(character_map), token_normalize)
    except (ImportError, AttributeError):
        return None
    folders = sorted(p.parent for p in (Path(word_tokenize_module.__file__).parent / "models").glob("*/models.bin"))
    if len(folders) == 1:  # the one model word_tokenize loads
        try:
            return (WordTagger.load(folders[0]).continues, *parts)
        except ModelFormatError:
            pass
    try:
        word_tokenize_module.word_tokenize("khởi động")  # loads the model once
        featurizer, tagger = word_tokenize_module.word_tokenize_model.featurizer, \
            word_tokenize_module.word_tokenize_model.estimator
    except AttributeError:
        return None

    def continues(lines: list[list[str]]) -> list[list[bool]]:
        features = featurizer.process([[[token] for token in tokens] for tokens in lines])
        return [[tag == "I-W" for tag in tagger.tag(line)] for line in features]

    return (continues, *parts)


@lru_cache(maxsize=256)
def _pattern(fixed: tuple[str, ...]) -> re.Pattern:
    """underthesea's token pattern, with `fixed` words first when there are any (as `word_tokenize` builds it)."""
    parts = list(_model()[1])
    if fixed:
        escaped = [word.replace(" ", r"\ ") for word in fixed]
        parts = ["(?P<fixed_words>\\b" + "\\b|\\b".join(escaped) + "\\b)"] + parts
    return re.compile(r"(" + "|".join(parts) + ")", re.VERBOSE | re.UNICODE)


@lru_cache(maxsize=65536)
def _normal_token(token: str) -> str:
    return _model()[3](token)


def _normal_text(text: str, character_map: dict[str, str]) -> str:
    text = unicodedata.normalize("NFC", text)
    for odd, standard in character_map.items():
        if odd in text:
            text = text.replace(odd, standard)
    return text


def segment(lines: Sequence[str], fixed: Sequence[Sequence[str] | None] | None = None) -> list[list[str]]:
    """The words of each line (syllables joined by spaces), as `word_tokenize(line, fixed_words=...)` gives them.

    >>> segment(["Hội nghị Ngoại giao lần thứ 32", "ngoại giao cây tre Việt Nam"], [None, ["ngoại giao cây tre"]])
    [['Hội nghị', 'Ngoại giao', 'lần', 'thứ', '32'], ['ngoại giao cây tre', 'Việt Nam']]
    """
    fixed = fixed or [None] * len(lines)
    model = _model()
    if model is None:
        from underthesea import word_tokenize

        return [word_tokenize(line, fixed_words=list(words) if words else None) for line, words in zip(lines, fixed)]
    continues, _, character_map, _ = model
    tokens = [[_normal_token(m.group(0)) for m in _pattern(tuple(words or ())).finditer(_normal_text(line, character_map))]
              for line, words in zip(lines, fixed)]
    filled = [i for i, line_tokens in enumerate(tokens) if line_tokens]
    out: list[list[str]] = [[] for _ in lines]
    for i, joins in zip(filled, continues([tokens[i] for i in filled]) if filled else []):
        words: list[str] = []
        for position, (joined, token) in enumerate(zip(joins, tokens[i])):
            if joined and position > 0:
                words[-1] = words[-1] + " " + token
            else:
                words.append(token)
        out[i] = words
    return out
