"""Word segmentation a whole article at a time must give exactly underthesea's words, line by line."""
import re

import pyarrow.parquet as pq
import pytest
from underthesea import word_tokenize
from underthesea.pipeline.word_tokenize import regex_tokenize

from dashboard.pipeline.keywords import _phrases_in
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
