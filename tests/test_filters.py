from datetime import date

import pandas as pd
import pytest

from dashboard.app.filters import Filters, apply_filters


@pytest.fixture
def tables():
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c"], "date": pd.to_datetime(["2021-12-14", "2021-12-15", "2023-12-19"]),
        "conference_id": ["doi-ngoai-toan-quoc-2021", "ngoai-giao-31", "ngoai-giao-32"],
        "outlet": ["Báo Bình Dương", None, "TTXVN"], "duplicate_of": [None, None, None]})
    articles.loc[2, "duplicate_of"] = "x"
    mentions = pd.DataFrame({"article_id": ["a", "b", "c"], "name": ["Nguyễn Phú Trọng", "Phạm Minh Chính", "Nguyễn Phú Trọng"]})
    provinces = pd.DataFrame({"article_id": ["a", "b"], "province": ["Bình Dương", "Long An"], "participating": [True, True]})
    return {"articles": articles, "mentions": mentions, "provinces": provinces}


@pytest.mark.parametrize("filters, kept", [
    (Filters(), ["a", "b", "c"]),
    (Filters(start=date(2021, 12, 15), end=date(2021, 12, 31)), ["b"]),
    (Filters(conferences=("ngoai-giao-31", "ngoai-giao-32")), ["b", "c"]),
    (Filters(outlets=("TTXVN",)), ["c"]),
    (Filters(officials=("Nguyễn Phú Trọng",)), ["a", "c"]),
    (Filters(provinces=("Long An",)), ["b"]),
    (Filters(dedupe=True), ["a", "b"]),                      # a republished copy counts once
    (Filters(officials=("Nguyễn Phú Trọng",), dedupe=True), ["a"]),
])
def test_filters_narrow_every_table(tables, filters, kept):
    out = apply_filters(tables, filters)
    assert out["articles"]["article_id"].tolist() == kept
    assert set(out["mentions"]["article_id"]) <= set(kept)
    assert set(out["provinces"]["article_id"]) <= set(kept)
    assert len(tables["articles"]) == 3                      # the input is not modified
