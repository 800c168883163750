import pandas as pd

from dashboard.analysis import distinctive_terms
from dashboard.app.aggregates import co_mentions, mentions_per_official, province_participation

MENTIONS = pd.DataFrame({
    "article_id": ["a", "a", "a", "b", "b", "c"],
    "name": ["Nguyễn Phú Trọng", "Nguyễn Phú Trọng", "Bùi Thanh Sơn", "Bùi Thanh Sơn", "Nguyễn Phú Trọng", "Tô Lâm"],
    "role": ["Tổng Bí thư", "Tổng Bí thư", "Bộ trưởng Bộ Ngoại giao", "Bộ trưởng", "Tổng Bí thư", "Bộ trưởng Bộ Công an"]})


def test_mentions_per_official_counts_and_most_frequent_role():
    out = mentions_per_official(MENTIONS).set_index("name")
    assert out.loc["Nguyễn Phú Trọng", "mentions"] == 3 and out.loc["Nguyễn Phú Trọng", "articles"] == 2
    assert out.index[0] == "Nguyễn Phú Trọng"
    assert out.loc["Tô Lâm", "role"] == "Bộ trưởng Bộ Công an"


def test_co_mentions_count_shared_articles():
    matrix = co_mentions(MENTIONS, ["Nguyễn Phú Trọng", "Bùi Thanh Sơn", "Tô Lâm"])
    assert matrix.loc["Nguyễn Phú Trọng", "Bùi Thanh Sơn"] == 2
    assert matrix.loc["Tô Lâm", "Bùi Thanh Sơn"] == 0


def test_province_participation_in_both_schemes():
    provinces = pd.DataFrame({"article_id": ["a", "b", "b"], "province": ["Bình Phước", "Đồng Nai", "Hà Nội"],
                              "province_34": ["Đồng Nai", "Đồng Nai", "Hà Nội"], "participating": [True, True, False]})
    by63 = province_participation(provinces, "63").set_index("unit")
    by34 = province_participation(provinces, "34").set_index("unit")
    assert by63.loc["Bình Phước", "participating"] == 1
    assert by34.loc["Đồng Nai", "participating"] == 2          # Bình Phước merged into Đồng Nai
    assert by34.loc["Hà Nội", "participating"] == 0 and by34.loc["Hà Nội", "mentioned"] == 1


def test_distinctive_terms_toy_two_conference_corpus():
    # Conference A talks about the sea and vaccines, B about the economy; shared words are not distinctive.
    counts = pd.DataFrame({
        "conference_id": ["A"] * 4 + ["B"] * 4,
        "term": ["biển đông", "vaccine", "hội nhập quốc tế", "ngoại giao", "kinh tế số", "hội nhập quốc tế",
                 "ngoại giao", "đầu tư"],
        "count": [40, 25, 20, 30, 35, 20, 30, 15]})
    a = distinctive_terms(counts, "conference_id", "A")["term"].tolist()
    b = distinctive_terms(counts, "conference_id", "B")["term"].tolist()
    assert a[:2] == ["biển đông", "vaccine"]
    assert b[:2] == ["kinh tế số", "đầu tư"]
    assert a.index("ngoại giao") > 1 and b.index("hội nhập quốc tế") > 1
