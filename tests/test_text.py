import unicodedata

import pytest

from dashboard.pipeline.text import fold_for_search, fold_tones, match_key, normalize_text


@pytest.mark.parametrize("a, b", [
    ("Khánh Hoà", "Khánh Hòa"),            # old-style tone placement
    ("Tỉnh uỷ", "tỉnh ủy"),                # uỷ = ủy, case ignored
    ("THANH HOÁ", "Thanh Hóa"),            # all caps headline
    ("Nguyễn  Hoà   Bình", "nguyễn hòa bình"),  # spaces
    (unicodedata.normalize("NFD", "Bùi Thanh Sơn"), "Bùi Thanh Sơn"),  # decomposed (macOS) text
])
def test_match_key_ignores_case_tone_placement_and_composition(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize("text", ["Hội nghị Ngoại giao tại Khánh Hoà, Thanh Hoá", "QUẢNG NINH, TỈNH UỶ", "hoàn thành"])
def test_folding_keeps_offsets(text):
    # A match found in the folded text must point at the same characters in the original.
    assert len(fold_for_search(text)) == len(text) == len(fold_tones(text))


def test_normalize_text_composes_and_unifies_newlines():
    raw = unicodedata.normalize("NFD", "Hà Nội\r\nĐà Nẵng\u200b")
    assert normalize_text(raw) == "Hà Nội\nĐà Nẵng"
