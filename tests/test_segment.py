"""Word segmentation a whole article at a time must give exactly underthesea's words, line by line, whichever tagger
scores the model."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from underthesea import word_tokenize
from underthesea.pipeline.word_tokenize import regex_tokenize

from dashboard.pipeline.keywords import _phrases_in
from dashboard.pipeline import crf, segment as segment_module
from dashboard.pipeline.decode import decode_bytes
from dashboard.pipeline.document import segment_text
from dashboard.pipeline.segment import segment


def _fresh_word_tokenize(line: str, fixed: list[str] | None) -> list[str]:
    """underthesea's own answer for one line, with its token pattern reset first: a call with fixed words leaves
    them in the module's pattern for every later call."""
    regex_tokenize.patterns = re.compile(regex_tokenize.regex_patterns_combine, re.VERBOSE | re.UNICODE)
    return word_tokenize(line, fixed_words=fixed)


def test_every_line_of_the_sample_corpus_is_segmented_as_underthesea_does(sample_build):
    bodies = pq.read_table(sample_build / "articles.parquet", columns=["body"]).column("body").to_pylist()
    checked = with_phrases = 0
    for body in bodies:
        lines = [line for line in body.split("\n") if line.strip()]
        fixed = [_phrases_in(line) for line in lines]
        expected = [_fresh_word_tokenize(line, words) for line, words in zip(lines, fixed)]
        assert segment(lines, fixed) == expected, body[:80]
        checked += len(lines)
        with_phrases += sum(1 for words in fixed if words)
    assert checked > 500 and with_phrases > 20  # the comparison covered real text, with domain phrases


@pytest.mark.parametrize("lines, expected", [
    (["Hội nghị Ngoại giao lần thứ 32"], [["Hội nghị", "Ngoại giao", "lần", "thứ", "32"]]),
    (["", "   ", "Hà Nội"], [[], [], ["Hà Nội"]]),                   # empty lines give no words
    (["Tỉnh uỷ Khánh Hoà"], [["Tỉnh", "ủy", "Khánh Hòa"]]),          # old tone placement normalised, as underthesea
])
def test_lines_give_their_words(lines, expected):
    assert segment(lines) == expected


def test_a_lines_words_do_not_depend_on_what_was_segmented_before():
    line = "Phát huy ngoại giao cây tre trong tình hình mới"
    alone = segment([line])
    segment(["ngoại giao cây tre"], [["ngoại giao cây tre"]])
    assert segment([line]) == alone
    assert "ngoại giao cây tre" not in alone[0]  # without fixed words the phrase is not one word
    assert "ngoại giao cây tre" in segment([line], [["ngoại giao cây tre"]])[0]


# Lines built around the featurizer's edge cases: what "isdigit" accepts (a sign, 32-bit range), what "istitle" calls
# a capital (digits, punctuation, "Đ"), one- and two-token lines (every template reads past an edge), fixed words
# written in capitals, all capitals, foreign scripts, and a token that reads like the edge markers themselves.
EDGE_LINES = [
    ("Hà Nội", None),
    ("Hội", None),
    ("ĐOÀN KẾT QUỐC TẾ", None),
    ("Năm 2023 có +5 và -7 điểm, 2147483647 và 2147483648 lượt, -2147483648 và 00042 mã", None),
    ("“Đối ngoại” (ngoại giao) – 1/2 số 3,5% của 12.000 người; Ω và ß, İstanbul, Ǆ", None),
    ("BOS EOS và T[0]=BOS không phải dấu dòng", None),
    ("Phát huy Ngoại Giao Cây Tre Việt Nam", ["Ngoại Giao Cây Tre"]),
    ("ngoại giao cây tre", ["ngoại giao cây tre"]),
    ("Nghị quyết số 34-NQ/TW ngày 12/8/2021 của Bộ Chính trị", ["Nghị quyết số 34"]),
    ("Thủ tướng Phạm Minh Chính dự Hội nghị Ngoại giao lần thứ 32 tại Hà Nội ngày 19/12/2023.", None),
    # fixed words are matched where the token pattern matches, first alternative wins (see segment._tokens)
    ("ngoại giao đa phương, ngoại giao kinh tế và ngoại giao", ["ngoại giao", "ngoại giao kinh tế"]),
    ("ngoại giao kinh tế, ngoại giaokinh tế, xngoại giao", ["ngoại giao kinh tế", "ngoại giao"]),
    ("Xem https://baoquocte.vn/ngoai-giao kinh tế và email a.b@mofa.gov.vn ngoại giao", ["ngoai-giao kinh tế"]),
    ("Xem https://baoquocte.vn/ngoại giao kinh tế", ["ngoại giao kinh tế"]),
    ("Ngày 14/12/2023 và 12/2023, kế hoạch C# số 3", ["12/2023", "C#"]),
    ("Bế mạc Hội nghị lần thứ 32: 5 nhiệm vụ", ["32: 5"]),
]


@pytest.mark.parametrize("line, fixed", EDGE_LINES)
def test_edge_case_lines_are_segmented_as_underthesea_does(line, fixed):
    assert segment([line], [fixed]) == [_fresh_word_tokenize(line, fixed)]


def _rust_tagger():
    """underthesea's own featurizer and tagger for its word segmentation model."""
    import underthesea.pipeline.word_tokenize as word_tokenize_module

    word_tokenize_module.word_tokenize("khởi động")
    model = word_tokenize_module.word_tokenize_model
    return model.featurizer, model.estimator


def _model_folder() -> Path:
    import underthesea.pipeline.word_tokenize as word_tokenize_module

    return next((Path(word_tokenize_module.__file__).parent / "models").glob("*/models.bin")).parent


@pytest.fixture(scope="module")
def table_tagger():
    return crf.WordTagger.load(_model_folder())


def test_the_table_tagger_labels_every_token_of_the_seeds_as_underthesea_s_tagger_does(seeds_dir, table_tagger):
    """The seeds are real articles: their tokens, pairs and triples are the ones the hidden set will have."""
    tagger = table_tagger
    featurizer, rust = _rust_tagger()
    lines = []
    for path in sorted(seeds_dir.iterdir()):
        doc = segment_text(decode_bytes(path.read_bytes()).text)
        for line in doc.body_lines + [doc.title or ""]:
            tokens = [m.group(0) for m in segment_module._pattern(()).finditer(line)]
            if tokens:
                lines.append(tokens)
    expected = [[tag == "I-W" for tag in rust.tag(features)]
                for features in featurizer.process([[[token] for token in tokens] for tokens in lines])]
    assert tagger.continues(lines) == expected
    assert sum(map(len, lines)) > 2000 and sum(map(sum, expected)) > 500  # real text, with many words joined


def test_an_unknown_model_falls_back_to_underthesea_s_tagger(monkeypatch):
    """A model the table tagger does not read (here: its loader says so) is scored by underthesea itself, with the
    same words."""
    line = "Hội nghị Ngoại giao lần thứ 32 tổng kết công tác đối ngoại"
    expected = segment([line])
    assert isinstance(segment_module._model()[0].__self__, crf.WordTagger)  # the table tagger, normally

    def refuse(folder):
        raise crf.ModelFormatError("not this model")

    segment_module._model.cache_clear()
    monkeypatch.setattr(segment_module, "_snapshot", None)  # a build in this session may have pointed to one
    monkeypatch.setattr(crf.WordTagger, "load", refuse)
    try:
        assert not isinstance(getattr(segment_module._model()[0], "__self__", None), crf.WordTagger)
        assert segment([line]) == expected
    finally:
        segment_module._model.cache_clear()


@pytest.mark.parametrize("damage, message", [
    (lambda data: b"XXXX" + data[4:], "not a CRFsuite model"),
    (lambda data: data.replace(b"I-W\0", b"I-X\0"), "labels"),
    (lambda data: data[:1000], "cut short"),
    (lambda data: data[:28] + b"\0" * 4 + data[32:], "no feature chunk"),
])
def test_a_model_file_that_is_not_the_expected_crfsuite_model_is_refused(tmp_path, damage, message):
    folder = tmp_path / "model"
    shutil.copytree(_model_folder(), folder)
    (folder / "models.bin").write_bytes(damage((folder / "models.bin").read_bytes()))
    with pytest.raises(crf.ModelFormatError, match=message):
        crf.WordTagger.load(folder)


def test_a_template_the_table_tagger_does_not_know_is_refused():
    with pytest.raises(crf.ModelFormatError, match="T\\[0\\]\\[1\\]"):
        crf.WordTagger({}, ((0.0, 0.0), (0.0, 0.0)), ["T[0]", "T[0][1]"], frozenset())


@pytest.mark.parametrize("token", ["2023", "+5", "-7", "2147483647", "2147483648", "-2147483648", "00042", "٣", "1.5",
                                   "Đà", "đà", "“Hà", "(ngoại", "ß", "İstanbul", "ǅ", "ΣΑΣ", "Ngoại Giao Cây Tre"])
def test_the_table_tagger_s_feature_values_are_underthesea_s(token, table_tagger):
    """isdigit, istitle, lower and is_in_dict of one token, as underthesea's featurizer writes them."""
    featurizer, _ = _rust_tagger()
    rust = dict(feature.split("=", 1) for feature in featurizer.process([[[token]]])[0][0])
    functions = table_tagger._functions
    assert (functions["isdigit"](token), functions["istitle"](token), functions["lower"](token),
            functions["is_in_dict"](token)) == \
        (rust["T[0].isdigit"], rust["T[0].istitle"], rust["T[0].lower"], rust["T[0].is_in_dict"])


SNAPSHOT_LINES = ["Sáng 14/12, Thủ tướng Phạm Minh Chính dự Hội nghị Ngoại giao lần thứ 32 tại Hà Nội.",
                  "Ngoại giao cây tre Việt Nam, nghành ngoại vụ và thuỷ sản: 2.147.483.648 đồng, +5 điểm cầu."]


def _segment_in_a_new_process(snapshot: Path) -> dict:
    """The words of SNAPSHOT_LINES from a fresh interpreter pointed at `snapshot`, and whether it imported
    underthesea to get them."""
    script = ("import json, sys\n"
              "from dashboard.pipeline import segment\n"
              f"segment.keep_snapshot({str(snapshot)!r})\n"
              f"words = segment.segment({SNAPSHOT_LINES!r})\n"
              "print(json.dumps({'words': words, 'imported': 'underthesea' in sys.modules}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    return json.loads(done.stdout)


def test_the_snapshot_gives_underthesea_s_words_without_importing_it(tmp_path):
    """The first process imports underthesea and leaves the snapshot; the next reads only the snapshot."""
    snapshot = tmp_path / "segmenter.json"
    expected = [_fresh_word_tokenize(line, None) for line in SNAPSHOT_LINES]
    first = _segment_in_a_new_process(snapshot)
    assert first == {"words": expected, "imported": True} and snapshot.exists()
    assert _segment_in_a_new_process(snapshot) == {"words": expected, "imported": False}


@pytest.mark.parametrize("damage", [
    lambda data: {**data, "key": data["key"][:-1] + [["pipeline/word_tokenize/models/x/models.bin", 1, 2]]},
    lambda data: {key: value for key, value in data.items() if key != "weights"},
    lambda data: "not the snapshot",
])
def test_a_stale_or_damaged_snapshot_is_ignored_and_replaced(tmp_path, damage):
    """A snapshot made from other underthesea files (an upgrade), or one cut short, is not read: segmentation loads
    the model from underthesea and writes a good snapshot over it."""
    snapshot = tmp_path / "segmenter.json"
    expected = [_fresh_word_tokenize(line, None) for line in SNAPSHOT_LINES]
    _segment_in_a_new_process(snapshot)
    snapshot.write_text(json.dumps(damage(json.loads(snapshot.read_text(encoding="utf-8")))), encoding="utf-8")
    assert _segment_in_a_new_process(snapshot) == {"words": expected, "imported": True}
    assert _segment_in_a_new_process(snapshot) == {"words": expected, "imported": False}


def test_the_snapshot_s_token_normalisation_is_underthesea_s():
    """The snapshot normalises tokens with this project's code from underthesea's maps; on every token the maps know
    (and a few more) it must give what underthesea's `token_normalize` gives."""
    from underthesea.pipeline.text_normalize import token_normalize
    from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map

    ours = segment_module._token_normaliser(dict(character_map), dict(token_map))
    tokens = [*token_map, *character_map, "Hoà", "HOÀ", "nghành", "ngoạigiao", "Ðà", "Ðồng Tháp"]
    assert len(tokens) > 1000 and [ours(t) for t in tokens] == [token_normalize(t) for t in tokens]
