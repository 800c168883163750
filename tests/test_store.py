"""The dashboard's query store: filters and aggregates over toy tables written in the contract's shape, and the same
answers from the serving aggregates as from the article-level rows on the sample corpus."""
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.analysis import distinctive_terms
from dashboard.pipeline import serving
from dashboard.pipeline.schema import TABLES, arrow_schema
from dashboard.store import Filters, Store

TRONG, SON, LAM, CHINH = "Nguyễn Phú Trọng", "Bùi Thanh Sơn", "Tô Lâm", "Phạm Minh Chính"


def write_tables(directory: Path, **rows: list[dict]) -> Path:
    """Processed tables from row dicts (absent columns are null), plus the serving aggregates, as a build writes."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        schema = arrow_schema(name)
        data = rows.get(name, [])
        pq.write_table(pa.Table.from_pylist(data, schema=schema) if data else schema.empty_table(),
                       directory / f"{name}.parquet")
    serving.write_aggregates(directory)
    return directory


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    articles = [
        {"article_id": "a", "published": date(2021, 12, 14), "conference_id": "doi-ngoai-toan-quoc-2021",
         "outlet": "Báo Bình Dương", "title": "Hội nghị Đối ngoại toàn quốc", "source": "a.txt", "body": "…"},
        {"article_id": "b", "published": date(2021, 12, 15), "conference_id": "ngoai-giao-31", "title": "Khai mạc",
         "source": "b.txt", "body": "…"},
        {"article_id": "c", "published": date(2023, 12, 19), "conference_id": "ngoai-giao-32", "outlet": "TTXVN",
         "duplicate_of": "x", "title": "Bế mạc", "source": "c.txt", "body": "…"},
        # no published date: the article stands for its conference's start (19/12/2023)
        {"article_id": "d", "published": None, "conference_id": "ngoai-giao-32", "outlet": "TTXVN",
         "source": "d.txt", "body": "…"},
    ]
    mentions = [
        {"article_id": "a", "name": TRONG, "role": "Tổng Bí thư"}, {"article_id": "a", "name": TRONG, "role": "Tổng Bí thư"},
        {"article_id": "a", "name": SON, "role": "Bộ trưởng Bộ Ngoại giao"},
        {"article_id": "b", "name": SON, "role": "Bộ trưởng"}, {"article_id": "b", "name": CHINH, "role": "Thủ tướng"},
        {"article_id": "c", "name": TRONG, "role": "Tổng Bí thư"}, {"article_id": "c", "name": LAM, "role": None},
        {"article_id": "d", "name": LAM, "role": "Bộ trưởng Bộ Công an"},
    ]
    provinces = [
        {"article_id": "a", "province": "Bình Phước", "province_34": "Đồng Nai", "participating": True, "mentions": 1},
        {"article_id": "a", "province": "Đồng Nai", "province_34": "Đồng Nai", "participating": False, "mentions": 2},
        {"article_id": "b", "province": "Long An", "province_34": "Tây Ninh", "participating": True, "mentions": 1},
        {"article_id": "b", "province": "Hà Nội", "province_34": "Hà Nội", "participating": False, "mentions": 1},
    ]
    keywords = [{"article_id": "a", "term": "ngoại giao", "count": 3}, {"article_id": "b", "term": "ngoại giao", "count": 1},
                {"article_id": "b", "term": "vaccine", "count": 4}, {"article_id": "c", "term": "vaccine", "count": 9},
                {"article_id": "d", "term": "bản lĩnh", "count": 2}]
    conferences = [
        {"conference_id": "doi-ngoai-toan-quoc-2021", "name": "Hội nghị Đối ngoại toàn quốc", "start": date(2021, 12, 14),
         "end": date(2021, 12, 14)},
        {"conference_id": "ngoai-giao-31", "name": "Hội nghị Ngoại giao lần thứ 31", "start": date(2021, 12, 15),
         "end": date(2021, 12, 17)},
        {"conference_id": "ngoai-giao-32", "name": "Hội nghị Ngoại giao lần thứ 32", "start": date(2023, 12, 19),
         "end": date(2023, 12, 21)},
    ]
    directory = write_tables(tmp_path_factory.mktemp("toy"), articles=articles, mentions=mentions, provinces=provinces,
                             keywords=keywords, conferences=conferences)
    return Store(directory)


@pytest.mark.parametrize("filters, kept", [
    (Filters(), ["a", "b", "c", "d"]),
    (Filters(start=date(2021, 12, 15), end=date(2021, 12, 31)), ["b"]),
    (Filters(start=date(2023, 12, 19)), ["c", "d"]),                      # d dated by its conference's start
    (Filters(conferences=("ngoai-giao-31", "ngoai-giao-32")), ["b", "c", "d"]),
    (Filters(outlets=("TTXVN",)), ["c", "d"]),
    (Filters(officials=(TRONG,)), ["a", "c"]),
    (Filters(officials=(TRONG, CHINH)), ["a", "b", "c"]),                # any of the chosen officials
    (Filters(provinces=("Long An",)), ["b"]),
    (Filters(dedupe=True), ["a", "b", "d"]),                               # a republished copy counts once
    (Filters(officials=(TRONG,), dedupe=True), ["a"]),
    (Filters(officials=(LAM,), provinces=("Hà Nội",)), []),
])
def test_filters_choose_the_articles_in_view(store, filters, kept):
    assert sorted(store.articles(filters)["article_id"]) == kept
    assert store.count(filters) == len(kept)


def test_mentions_per_official_counts_and_most_frequent_role(store):
    out = store.officials(Filters()).set_index("name")
    assert out.index[0] == TRONG                                           # most mentioned first
    assert out.loc[TRONG, "mentions"] == 3 and out.loc[TRONG, "articles"] == 2
    assert out.loc[SON, "role"] == "Bộ trưởng"                            # tie on mentions: first by name
    assert out.loc[LAM, "role"] == "Bộ trưởng Bộ Công an"                 # a missing role is not a role
    assert out.loc[LAM, "articles"] == 2
    narrowed = store.officials(Filters(provinces=("Long An",))).set_index("name")
    assert set(narrowed.index) == {SON, CHINH} and narrowed.loc[SON, "mentions"] == 1


def test_one_official_over_time_and_across_conferences(store):
    monthly = store.official_monthly(Filters(), LAM)
    assert monthly.to_dict("records") == [
        {"month": pd.Timestamp("2023-12-01"), "role": "Bộ trưởng Bộ Công an", "mentions": 1},
        {"month": pd.Timestamp("2023-12-01"), "role": "—", "mentions": 1}]
    by_conf = store.official_by_conference(Filters(), SON)
    assert by_conf["conference"].tolist() == ["Hội nghị Đối ngoại toàn quốc", "Hội nghị Ngoại giao lần thứ 31"]


@pytest.mark.parametrize("filters, trong_son, trong_lam", [
    (Filters(), 1, 1),
    (Filters(dedupe=True), 1, 0),
    (Filters(officials=(LAM,)), 0, 1),
])
def test_co_mentions_count_shared_articles(store, filters, trong_son, trong_lam):
    matrix = store.co_mentions(filters, [TRONG, SON, LAM])
    assert matrix.loc[TRONG, SON] == matrix.loc[SON, TRONG] == trong_son
    assert matrix.loc[TRONG, LAM] == trong_lam
    assert matrix.loc[SON, LAM] == 0


def test_province_participation_in_both_schemes(store):
    by63 = store.province_participation(Filters(), "63").set_index("unit")
    by34 = store.province_participation(Filters(), "34").set_index("unit")
    assert by63.loc["Bình Phước", "participating"] == 1 and by63.loc["Đồng Nai", "participating"] == 0
    # Bình Phước merged into Đồng Nai: one article naming both counts once, and takes part through Bình Phước
    assert by34.loc["Đồng Nai", "mentioned"] == 1 and by34.loc["Đồng Nai", "participating"] == 1
    assert by34.loc["Tây Ninh", "participating"] == 1                     # Long An is part of Tây Ninh
    assert by34.loc["Hà Nội", "participating"] == 0 and by34.loc["Hà Nội", "mentioned"] == 1
    matrix = store.province_conference_matrix(Filters(), "34")
    assert matrix.loc["Đồng Nai", "Hội nghị Đối ngoại toàn quốc"] == 1


def test_summary_and_conference_coverage(store):
    figures = store.summary(Filters(dedupe=True))
    assert (figures["articles"], figures["conferences"], figures["officials"], figures["provinces"]) == (3, 3, 4, 2)
    for filters in (Filters(start=date(2021, 12, 15), outlets=("TTXVN",)), Filters(officials=(LAM,), start=date(2023, 1, 1))):
        figures = store.summary(filters)                      # every placeholder bound to its own value
        assert (figures["articles"], figures["conferences"], figures["officials"], figures["provinces"]) == (2, 1, 2, 0)
        assert figures["first"] == figures["last"] == pd.Timestamp("2023-12-19")
    coverage = store.coverage(Filters())
    assert coverage["conference_id"].tolist() == ["doi-ngoai-toan-quoc-2021", "ngoai-giao-31", "ngoai-giao-32"]
    assert coverage["articles"].tolist() == [1, 1, 2]


def test_keywords_count_each_story_once(store):
    counts = store.keyword_counts(Filters(), "conference_id").set_index(["conference_id", "term"])["count"]
    assert counts.to_dict() == {("doi-ngoai-toan-quoc-2021", "ngoại giao"): 3, ("ngoai-giao-31", "ngoại giao"): 1,
                                ("ngoai-giao-31", "vaccine"): 4, ("ngoai-giao-32", "bản lĩnh"): 2}   # c is a copy
    assert store.vocabulary(Filters()) == ["ngoại giao", "vaccine", "bản lĩnh"]
    trend = store.keyword_trend(Filters(), ["vaccine"])
    assert trend[["term", "count", "rate"]].to_dict("records") == [{"term": "vaccine", "count": 4, "rate": 5000.0}]
    assert store.keyword_counts(Filters(officials=(TRONG,)), "conference_id")["count"].sum() == 3
    by_outlet = store.keyword_counts(Filters(outlets=("TTXVN",)), "conference_id")   # read from the article rows
    assert by_outlet[["conference_id", "term", "count"]].to_dict("records") == [
        {"conference_id": "ngoai-giao-32", "term": "bản lĩnh", "count": 2}]


def test_reader_reads_one_article_and_search_looks_in_titles_and_bodies(store):
    assert store.article("c")["title"] == "Bế mạc" and store.article("missing") is None
    assert store.articles(Filters(), search="khai MẠC")["article_id"].tolist() == ["b"]
    assert len(store.article_rows("mentions", "a")) == 3
    with pytest.raises(ValueError):
        store.article_rows("articles; DROP TABLE art", "a")


def test_sidebar_options(store):
    options = store.options()
    assert options["span"] == (date(2021, 12, 14), date(2023, 12, 19))
    assert options["officials"][0] == TRONG and options["outlets"] == ["Báo Bình Dương", "TTXVN"]
    assert options["provinces"] == ["Bình Phước", "Hà Nội", "Long An", "Đồng Nai"]


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


@pytest.mark.parametrize("filters", [
    Filters(), Filters(dedupe=True), Filters(start=date(2021, 1, 1), end=date(2022, 12, 31)),
    Filters(conferences=("ngoai-giao-31", "ngoai-giao-32"), outlets=("Thông tấn xã Việt Nam",)),
])
def test_aggregates_answer_like_the_article_rows_on_the_sample_corpus(sample_build, filters):
    """The fast path (serving aggregates) and the article-level path must agree: force the latter by adding an
    officials filter that keeps every article that names anyone, and compare on those articles."""
    store = Store(sample_build)
    everyone = tuple(store.options()["officials"])
    fast, slow = filters, Filters(**{**filters.__dict__, "officials": everyone})
    assert not fast.needs_facts and slow.needs_facts
    pd.testing.assert_frame_equal(store.officials(fast), store.officials(slow))
    name = store.officials(fast)["name"].iloc[0] if store.count(fast) else "—"
    pd.testing.assert_frame_equal(store.official_monthly(fast, name), store.official_monthly(slow, name))
    named = set(store.articles(slow)["article_id"])
    for scheme in ("63", "34"):
        only_named = store.province_participation(slow, scheme)
        assert (only_named["mentioned"] <= store.province_participation(fast, scheme).set_index("unit")
                .reindex(only_named["unit"])["mentioned"].to_numpy()).all()
    assert named <= set(store.articles(fast)["article_id"])


def test_co_mentions_beyond_the_masked_officials_agree(store, monkeypatch):
    """Officials without a bit in the per-article mask are counted from the mention rows, with the same result."""
    import dashboard.store as store_module

    monkeypatch.setattr(store_module, "MASK_BITS", 1)      # only the most mentioned official gets a bit
    narrow = Store(store.directory)
    names = [TRONG, SON, LAM, CHINH]
    for filters in (Filters(), Filters(dedupe=True), Filters(provinces=("Long An",))):
        pd.testing.assert_frame_equal(narrow.co_mentions(filters, names), store.co_mentions(filters, names))


def test_sessions_query_while_the_article_rows_load(store):
    """The app loads the article-level rows in a background thread while sessions already query. A CHECKPOINT in
    that load failed whenever a query was running, and left the load impossible to retry (seen in the browser)."""
    import threading
    import time

    fresh = Store(store.directory)
    busy = threading.Thread(target=fresh._df, args=("SELECT sum(i * i) FROM range(60000000) r(i)",))
    busy.start()
    time.sleep(0.05)                                       # a session's query is running …
    fresh.load_facts()                                     # … while the rows load
    busy.join()
    assert fresh.co_mentions(Filters(), [TRONG, SON]).loc[TRONG, SON] == 1
    assert sorted(fresh.articles(Filters(officials=(LAM,)))["article_id"]) == ["c", "d"]


def test_an_officials_filter_answers_alike_by_bit_test_and_by_article_set(sample_build, monkeypatch):
    """An officials filter on the most mentioned officials is a bit test on the article-level rows; a store that
    gives no official a bit answers the same filters through the set of selected articles."""
    import dashboard.store as store_module

    bits = Store(sample_build)
    bits.load_facts()                                      # the bits are given when the rows load
    monkeypatch.setattr(store_module, "MASK_BITS", 0)
    no_bits = Store(sample_build)
    officials = bits.options()["officials"]
    for filters in (Filters(officials=(officials[0],)), Filters(officials=tuple(officials[1:3]), dedupe=True),
                    Filters(officials=(officials[0],), start=date(2023, 1, 1), end=date(2024, 12, 31)),
                    Filters(officials=(officials[0],), provinces=("Hà Nội",))):
        assert bits.count(filters) == no_bits.count(filters) > 0
        pd.testing.assert_frame_equal(bits.officials(filters), no_bits.officials(filters))
        pd.testing.assert_frame_equal(bits.official_monthly(filters, officials[1]),
                                      no_bits.official_monthly(filters, officials[1]))
        for scheme in ("63", "34"):
            pd.testing.assert_frame_equal(bits.province_participation(filters, scheme),
                                          no_bits.province_participation(filters, scheme))
        pd.testing.assert_frame_equal(bits.co_mentions(filters, officials[:4]), no_bits.co_mentions(filters, officials[:4]))
        pd.testing.assert_frame_equal(bits.keyword_counts(filters), no_bits.keyword_counts(filters))
    assert bits._mask_of(Filters(officials=(officials[0],))) is not None   # the bit test was the path taken
    assert no_bits._mask_of(Filters(officials=(officials[0],))) is None


def _same_answer(store: Store, con, method: str, args: tuple, kwargs: dict) -> None:
    """The store's answer to one aggregate and the benchmark's bare query for it (benchmarks/bare_queries.py,
    straight on the contract tables) agree."""
    from benchmarks.bare_queries import bare_query

    sql, params = bare_query(store.directory, method, args, kwargs)
    bare = con.execute(sql, params).df()
    ours = getattr(store, method)(*args, **kwargs)
    names = store.conferences.set_index("conference_id")["name"]
    if method == "count":
        assert ours == bare["n"].iloc[0]
    elif method == "summary":
        assert [ours[k] for k in ("articles", "conferences")] == bare[["articles", "conferences"]].iloc[0].tolist()
        assert (pd.Timestamp(ours["first"]), pd.Timestamp(ours["last"])) == (bare["first"].iloc[0], bare["last"].iloc[0])
    elif method in ("coverage", "officials", "official_monthly", "province_participation", "keyword_counts",
                    "keyword_trend", "articles"):
        columns = {"coverage": ["conference_id", "articles"], "officials": ["name", "role", "mentions", "articles"],
                   "official_monthly": ["month", "role", "mentions"],
                   "province_participation": ["unit", "participating", "mentioned"],
                   "keyword_counts": list(bare.columns), "keyword_trend": list(bare.columns),
                   "articles": ["article_id", "title", "conference_id"]}[method]
        key = columns if method == "coverage" else None      # coverage is in start order, the bare query unordered
        left, right = ours[columns], bare[columns]
        if key:
            left, right = left.sort_values(key), right.sort_values(key)
        pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False)
    elif method == "official_by_conference":
        left = ours[["conference", "role", "mentions"]].sort_values(["conference", "role"]).reset_index(drop=True)
        right = bare.assign(conference=bare["conference_id"].map(names))[["conference", "role", "mentions"]]
        pd.testing.assert_frame_equal(left, right.sort_values(["conference", "role"]).reset_index(drop=True),
                                      check_dtype=False)
    elif method == "co_mentions":
        pairs = {(r.first, r.second): r.articles for r in bare.itertuples()}
        assert {(a, b): ours.loc[a, b] for a in ours.index for b in ours.columns} == {
            (a, b): pairs.get((a, b), 0) for a in ours.index for b in ours.columns}
    elif method == "province_conference_matrix":
        cells = ours.stack()
        assert {k: v for k, v in cells.items() if v} == {
            (r.unit, names.get(r.conference_id, r.conference_id)): r.articles for r in bare.itertuples()}
    elif method == "vocabulary":
        assert ours == bare["term"].tolist()
    else:
        raise AssertionError(f"no comparison for {method}")


def test_the_benchmarks_bare_queries_compute_the_same_aggregates_as_the_store(sample_build):
    """benchmarks/app_scale.py holds the app to 2x "the bare DuckDB query for the same aggregate": each of the store's
    aggregates, under every kind of filter, must come out the same from its bare query on the contract tables."""
    import duckdb

    from benchmarks.bare_queries import AGGREGATES

    store = Store(sample_build)
    officials = store.options()["officials"]
    conference = store.options()["conferences"][-1]
    con = duckdb.connect()
    checked = set()
    for filters in (Filters(), Filters(dedupe=True), Filters(start=date(2022, 1, 1), end=date(2024, 12, 31)),
                    Filters(conferences=(conference,)), Filters(officials=(officials[0],)),
                    Filters(officials=(officials[-1],)), Filters(provinces=("Hà Nội",)),
                    Filters(outlets=(store.options()["outlets"][0],))):
        assert store.count(filters) > 0, filters
        top = store.officials(filters)["name"].tolist()
        for method, args, kwargs in [
                ("count", (filters,), {}), ("summary", (filters,), {}), ("coverage", (filters,), {}),
                ("articles", (filters,), {"limit": 6}), ("articles", (filters,), {"conference": conference}),
                ("articles", (filters,), {"search": "hợp tác"}), ("officials", (filters,), {}),
                ("official_monthly", (filters, top[0]), {}), ("official_by_conference", (filters, top[0]), {}),
                ("co_mentions", (filters, top[:12]), {}), ("province_participation", (filters, "63"), {}),
                ("province_participation", (filters, "34"), {}), ("province_conference_matrix", (filters, "34"), {}),
                ("keyword_counts", (filters,), {}), ("keyword_counts", (filters,), {"by": "month"}),
                ("vocabulary", (filters,), {}), ("keyword_trend", (filters, ["hợp tác", "ngoại giao"]), {})]:
            _same_answer(store, con, method, args, kwargs)
            checked.add(method)
    article_id = store.articles(Filters(), limit=1)["article_id"].iloc[0]
    assert store.article(article_id)["title"] == con.execute(*bare_query_of(store, "article", (article_id,))).df()[
        "title"].iloc[0]
    for table in ("mentions", "provinces"):
        assert len(store.article_rows(table, article_id)) == len(con.execute(
            *bare_query_of(store, "article_rows", (table, article_id))).df())
    assert checked | {"article", "article_rows"} == set(AGGREGATES)


def bare_query_of(store: Store, method: str, args: tuple) -> tuple[str, list]:
    from benchmarks.bare_queries import bare_query

    return bare_query(store.directory, method, args, {})
