"""Near-duplicate linking and the merging of new conferences that several articles describe: whole-corpus steps whose
fast paths must give what the straightforward versions give."""
from datetime import date

import numpy as np
import pytest

from dashboard.pipeline.build import _merge_new_conferences
from dashboard.pipeline.conferences import Conference
from dashboard.pipeline.duplicates import _shared_count, _sorted_distinct, link_duplicates, shingles, signature


@pytest.mark.parametrize("values", [
    np.array([], np.uint64),
    np.array([7], np.uint64),
    np.array([3, 3, 3], np.uint64),
    np.array([2 ** 63 + 5, 1, 2 ** 63 + 5, 0, 1], np.uint64),        # values above the int64 range
    np.random.default_rng(4).integers(0, 50, 1000).astype(np.int64),   # many repeats, as candidate codes have
])
def test_distinct_values_are_numpy_s_unique(values):
    out = _sorted_distinct(values)
    assert out.dtype == values.dtype and out.tolist() == np.unique(values).tolist()


LEAD = ("Sáng 19/12, tại Hà Nội, Bộ Ngoại giao tổ chức Hội nghị Ngoại giao lần thứ 32 với chủ đề phát huy "
        "truyền thống ngoại giao cây tre, Thủ tướng Phạm Minh Chính dự và phát biểu chỉ đạo hội nghị.")


def test_a_republished_story_links_to_the_earliest_copy_and_an_unrelated_one_does_not():
    bodies = [LEAD, "(TTXVN) " + LEAD + " Hội nghị kéo dài ba ngày.", "Giá lúa gạo tại Cần Thơ tăng nhẹ trong tuần."]
    original, verdicts = link_duplicates(bodies.__getitem__, np.array([signature(b) for b in bodies], np.uint64),
                                         np.array([len(b) for b in bodies]))
    assert original.tolist() == [-1, 0, -1]
    assert len(shingles(LEAD)) > 20 and (verdicts.first.tolist(), verdicts.second.tolist()) == ([0], [1])


def _new(conference_id, name, start, series=None):
    return Conference(conference_id, name, series, None, start, start, None, False)


DAY, OTHER_DAY = date(2025, 9, 16), date(2025, 9, 17)
LONG = _new("a", "Hội nghị toàn quốc quán triệt 4 nghị quyết của Bộ Chính trị", DAY)
SHORT = _new("b", "Hội nghị toàn quốc quán triệt nghị quyết", DAY)
QUANG_TRI = _new("q", "Hội nghị tổng kết công tác đối ngoại năm 2023 của tỉnh Quảng Trị", DAY, "tong_ket_doi_ngoai_dia_phuong")
HUE = _new("h", "Hội nghị tổng kết công tác đối ngoại năm 2023 của thành phố Huế", DAY, "tong_ket_doi_ngoai_dia_phuong")


@pytest.mark.parametrize("described, aliases", [
    ([LONG, SHORT], {"b": "a"}),                                    # same day, names share their first four words
    ([SHORT, LONG], {"a": "b"}),                                    # the first seen keeps its id
    ([LONG, _new("b", SHORT.name, OTHER_DAY)], {}),                 # another day: another event
    ([QUANG_TRI, HUE], {}),                                          # provincial reviews must match exactly
    ([LONG, LONG, None, SHORT, SHORT, LONG], {"b": "a"}),           # many articles describing the same events
    ([LONG, _new("c", "Hội nghị sơ kết", DAY), SHORT, _new("d", "Hội nghị sơ kết", DAY)], {"b": "a", "d": "c"}),
    ([_new("x", LONG.name, None), LONG], {}),                        # an undated description merges with nothing
])
def test_new_conferences_that_several_articles_describe_are_merged(described, aliases):
    assert _merge_new_conferences(described) == aliases


@pytest.mark.parametrize("a, b", [
    ([], []), ([], [1, 2]), ([5], [5]), ([1, 3, 5, 7], [2, 3, 4, 7, 9]), ([10, 20], [1, 2, 3]), ([2 ** 60], [2 ** 60, 2 ** 61]),
    (np.random.default_rng(1).choice(10_000, 600, replace=False), np.random.default_rng(2).choice(10_000, 900, replace=False)),
])
def test_shared_5_grams_are_counted_as_intersect1d_counts_them(a, b):
    a, b = np.sort(np.asarray(a, np.uint64)), np.sort(np.asarray(b, np.uint64))
    assert _shared_count(a, b) == _shared_count(b, a) == len(np.intersect1d(a, b, assume_unique=True))
