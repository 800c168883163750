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

import hashlib
import importlib.util
import json
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path

from dashboard.pipeline import crf
from dashboard.pipeline.crf import ModelFormatError, WordTagger

_snapshot: Path | None = None  # see `keep_snapshot`
_SNAPSHOT_SOURCES = ("pipeline/word_tokenize/regex_tokenize.py", "pipeline/text_normalize/text_normalizer.py",
                     "pipeline/text_normalize/token_normalize.py", "pipeline/text_normalize/character_normalize.py")


def keep_snapshot(path: Path | None) -> None:
    """Keep what segmentation reads from underthesea (token pattern, normalisation maps, the model's weights,
    templates and dictionary) as JSON at `path`, and read it from there while underthesea's files are unchanged.
    Importing underthesea and reading its model take about half a second, most of the start of a rebuild that
    extracts a few articles; the snapshot loads in a tenth of that. Call before the first `segment`."""
    global _snapshot
    _snapshot = Path(path) if path else None


def _snapshot_key() -> list | None:
    """What the snapshot was made from: each underthesea file it reads (path, size, modification time) and this
    module's and the tagger's code; None when underthesea's files are not where this expects them."""
    spec = importlib.util.find_spec("underthesea")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    files = [root / name for name in _SNAPSHOT_SOURCES]
    files += sorted((root / "pipeline/text_normalize").glob("*.bin"))
    files += sorted((root / "pipeline/word_tokenize/models").glob("*/*.bin"))
    try:
        key = [[path.relative_to(root).as_posix(), (stat := path.stat()).st_size, stat.st_mtime_ns] for path in files]
    except OSError:
        return None
    code = hashlib.sha1(Path(__file__).read_bytes() + Path(crf.__file__).read_bytes()).hexdigest()
    return [code, *key]


def _token_normaliser(character_map: dict[str, str], token_map: dict[str, str]) -> Callable[[str], str]:
    """underthesea's token normalisation from its two maps: tokens of up to 6 characters get the standard
    characters, then the standard spelling of a known misspelling."""
    def normal(token: str) -> str:
        if len(token) > 6:
            return token
        token = _normal_text(token, character_map)
        return token_map.get(token, token)

    return normal


def _from_snapshot():
    """The `_model` tuple from the snapshot, or None when there is none or it was made from other files."""
    if _snapshot is None:
        return None
    try:
        data = json.loads(_snapshot.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != _snapshot_key():
            return None
        tagger = WordTagger(data["weights"], tuple(map(tuple, data["transitions"])), data["templates"],
                            frozenset(data["dictionary"]))
        return (tagger.continues, tuple(data["patterns"]), data["character_map"],
                _token_normaliser(data["character_map"], data["token_map"]))
    except (OSError, ValueError, KeyError, TypeError, ModelFormatError):
        return None


def _write_snapshot(model: tuple, token_map: dict[str, str]) -> None:
    """Write the snapshot for later processes when the loaded model came from the table tagger and this module's
    token normalisation gives underthesea's on every token its maps know (else nothing is written)."""
    continues, patterns, character_map, token_normalize = model
    key = _snapshot_key()
    tagger = getattr(continues, "__self__", None)
    if _snapshot is None or key is None or not isinstance(tagger, WordTagger):
        return
    ours = _token_normaliser(character_map, token_map)
    probes = [*token_map, *character_map, *(odd + "a" for odd in character_map), "Hoà", "ngoại giao", "nghành"]
    if any(ours(token) != token_normalize(token) for token in probes):
        return
    weights, transitions, templates, dictionary = tagger.source
    data = {"key": key, "patterns": list(patterns), "character_map": character_map, "token_map": token_map,
            "templates": templates, "dictionary": sorted(dictionary), "weights": weights,
            "transitions": [list(row) for row in transitions]}
    temporary = _snapshot.with_name(f".{_snapshot.name}.{os.getpid()}")
    try:
        _snapshot.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(_snapshot)  # a reader sees the old snapshot or the new one
    except OSError:
        temporary.unlink(missing_ok=True)


@cache
def _model():
    """(tagger: lines of tokens -> for each token whether it continues a word, token pattern parts, character map,
    token normaliser), or None to use word_tokenize."""
    snapshot = _from_snapshot()
    if snapshot is not None:
        return snapshot
    try:
        import underthesea.pipeline.word_tokenize as word_tokenize_module
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map
        from underthesea.pipeline.word_tokenize import regex_tokenize

        parts = (tuple(regex_tokenize.regex_patterns), dict(character_map), token_normalize)
    except (ImportError, AttributeError):
        return None
    folders = sorted(p.parent for p in (Path(word_tokenize_module.__file__).parent / "models").glob("*/models.bin"))
    if len(folders) == 1:  # the one model word_tokenize loads
        try:
            model = (WordTagger.load(folders[0]).continues, *parts)
        except ModelFormatError:
            pass
        else:
            _write_snapshot(model, dict(token_map))
            return model
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
        parts = [_fixed_words_source(fixed)] + parts
    return re.compile(r"(" + "|".join(parts) + ")", re.VERBOSE | re.UNICODE)


def _fixed_words_source(fixed: tuple[str, ...]) -> str:
    """The alternative `word_tokenize` puts first in its pattern for `fixed` words."""
    escaped = [word.replace(" ", r"\ ") for word in fixed]
    return "(?P<fixed_words>\\b" + "\\b|\\b".join(escaped) + "\\b)"


_PLAIN_WORDS_RE = re.compile(r"\w+(?: \w+)*")


@lru_cache(maxsize=4096)
def _fixed_pattern(fixed: tuple[str, ...]) -> re.Pattern | None:
    """The fixed-words part of `_pattern(fixed)` on its own, or None when a fixed word is not plain words separated
    by single spaces (then only the whole pattern reads it as `word_tokenize` does)."""
    if not all(_PLAIN_WORDS_RE.fullmatch(word) for word in fixed):
        return None
    return re.compile(_fixed_words_source(fixed), re.VERBOSE | re.UNICODE)


def _tokens(text: str, fixed: tuple[str, ...]) -> list[str]:
    """The tokens `_pattern(fixed).finditer(text)` gives, without compiling underthesea's whole pattern again for
    each line's fixed words (a millisecond each, a third of extracting an article whose lines are new): at each
    place the token pattern matches, a fixed word starting there wins, as it does inside the whole pattern where it
    is the first alternative. A fixed word is plain words, so it can only start where the token pattern matches."""
    fixed_words = _fixed_pattern(fixed) if fixed else None
    if fixed_words is None:
        return [m.group(0) for m in _pattern(fixed).finditer(text)]
    pattern, out, position = _pattern(()), [], 0
    while (m := pattern.search(text, position)) is not None:
        if m.end() == m.start():  # an empty match: finditer's own rules for stepping past it apply
            return [m.group(0) for m in _pattern(fixed).finditer(text)]
        m = fixed_words.match(text, m.start()) or m
        out.append(m.group(0))
        position = m.end()
    return out


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
    tokens = [[_normal_token(token) for token in _tokens(_normal_text(line, character_map), tuple(words or ()))]
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
