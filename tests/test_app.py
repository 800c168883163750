"""Every page of the app, run through the entry file on the sample corpus and on an empty corpus (AppTest)."""
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.registry import PAGES

ENTRY = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
PAGE_IDS = [file for file, *_ in PAGES]


def _app(monkeypatch, processed: Path, raw: Path) -> AppTest:
    monkeypatch.setenv("DASHBOARD_PROCESSED_DIR", str(processed))
    monkeypatch.setenv("DASHBOARD_RAW_DIR", str(raw))
    return AppTest.from_file(ENTRY, default_timeout=90)


def _figure(at: AppTest, index: int = 0) -> str:
    """A rendered Plotly chart's spec, decoded to text (its JSON escapes non-ASCII characters)."""
    return json.dumps(json.loads(at.get("plotly_chart")[index].proto.spec), ensure_ascii=False)


def _open(at: AppTest, page: str) -> AppTest:
    at.run()
    if page != PAGES[0][0]:
        at.switch_page(f"dashboard/app/app_pages/{page}").run()
    return at


@pytest.mark.parametrize("page", PAGE_IDS)
def test_page_runs_on_sample_corpus(page, sample_build, tmp_path, monkeypatch):
    at = _open(_app(monkeypatch, sample_build, tmp_path), page)
    assert not at.exception, [e.value for e in at.exception]
    articles = pd.read_parquet(sample_build / "articles.parquet")
    if page == "overview.py":
        figures = {m.label: m.value for m in at.metric}
        assert figures["Bài viết"] == str(len(articles))
        assert int(figures["Quan chức"]) == pd.read_parquet(sample_build / "mentions.parquet")["name"].nunique()
    elif page == "timeline.py":
        fig = _figure(at)
        assert "NG 32 · 12/2023" in fig and "NG 31 · 12/2021" in fig
    elif page == "officials.py":
        assert "Nguyễn Phú Trọng" in _figure(at)
        assert at.selectbox(key="off_focus").value == "Nguyễn Phú Trọng"     # most mentioned first
    elif page == "provinces.py":
        assert "Quần đảo Hoàng Sa" in _figure(at) and "Quần đảo Trường Sa" in _figure(at)
        assert "Thành phố Hồ Chí Minh" in _figure(at)
    elif page == "keywords.py":
        assert len(at.get("plotly_chart")) == 3
    elif page == "articles.py":
        assert len(at.dataframe[0].value) == len(articles)


@pytest.mark.parametrize("page", PAGE_IDS)
def test_page_on_empty_corpus_explains_itself(page, tmp_path, monkeypatch):
    (tmp_path / "raw").mkdir()
    at = _app(monkeypatch, tmp_path / "processed", tmp_path / "raw").run()
    assert not at.exception
    assert any("dashboard build" in i.value for i in at.info)


def test_first_start_builds_the_tables(tmp_path, monkeypatch):
    from dashboard import config

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in sorted(p.name for p in config.RAW_DIR.glob("t0*.txt"))[:3]:
        (raw / name).write_bytes((config.RAW_DIR / name).read_bytes())
    at = _app(monkeypatch, tmp_path / "processed", raw).run()
    assert not at.exception
    assert (tmp_path / "processed" / "articles.parquet").exists()
    assert {m.label: m.value for m in at.metric}["Bài viết"] == "3"
    # the build's summary speaks the reader's language and names no server folder
    label = at.status[0].label
    assert label.startswith("Đã dựng dữ liệu: 3 bài viết, 0 tệp bị loại") and str(tmp_path) not in label


def test_filters_matching_nothing_explain_themselves(sample_build, tmp_path, monkeypatch):
    # a real official and a real conference that never meet in the corpus
    articles = pd.read_parquet(sample_build / "articles.parquet")
    mentions = pd.read_parquet(sample_build / "mentions.parquet").merge(articles[["article_id", "conference_id"]])
    at_32 = set(mentions.loc[mentions["conference_id"] == "ngoai-giao-32", "name"])
    absent = sorted(set(mentions["name"]) - at_32)[0]
    at = _app(monkeypatch, sample_build, tmp_path)
    at.query_params["conf"] = "ngoai-giao-32"
    at.query_params["who"] = absent
    at.run()
    assert not at.exception
    assert any("Không có bài viết nào khớp" in i.value for i in at.info)


def test_shared_link_restores_the_view(sample_build, tmp_path, monkeypatch):
    at = _app(monkeypatch, sample_build, tmp_path)
    at.query_params["conf"] = "ngoai-giao-32"
    at.query_params["dedupe"] = "1"
    at.run()
    assert at.multiselect(key="f_conferences").value == ["ngoai-giao-32"]
    assert at.toggle(key="f_dedupe").value is True
    articles = pd.read_parquet(sample_build / "articles.parquet")
    expected = ((articles["conference_id"] == "ngoai-giao-32") & articles["duplicate_of"].isna()).sum()
    assert {m.label: m.value for m in at.metric}["Bài viết"] == str(expected)


def test_changing_a_filter_is_written_to_the_url(sample_build, tmp_path, monkeypatch):
    at = _app(monkeypatch, sample_build, tmp_path).run()
    at.multiselect(key="f_provinces").select("Long An").run()
    assert "Long An" in at.query_params.get_all("province") if hasattr(at.query_params, "get_all") \
        else at.query_params["province"] in ("Long An", ["Long An"])


def test_english_switch_translates_labels(sample_build, tmp_path, monkeypatch):
    at = _app(monkeypatch, sample_build, tmp_path)
    at.query_params["lang"] = "en"
    at.run()
    assert "Articles" in {m.label for m in at.metric}
    assert at.title[0].value == "Overview"


def test_article_reader_escapes_untrusted_text(tmp_path, monkeypatch):
    from dashboard.pipeline.build import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "xss.txt").write_text(
        "Hội nghị <script>alert('x')</script> Ngoại giao lần thứ 32 [bấm](javascript:alert(1))\n\n"
        "Thứ ba - 19/12/2023 16:44\n\n"
        "Sáng 19/12, Tổng Bí thư Nguyễn Phú Trọng dự hội nghị <img src=x onerror=alert(1)> tại Hà Nội, với sự "
        "tham dự của các đại biểu trong và ngoài nước cùng đại diện nhiều bộ, ngành và địa phương.\nMinh Anh\n",
        encoding="utf-8")
    build(raw, tmp_path / "processed", progress=False)
    at = _app(monkeypatch, tmp_path / "processed", raw)
    at.query_params["article"] = pd.read_parquet(tmp_path / "processed" / "articles.parquet")["article_id"][0]
    at.run()
    at.switch_page("dashboard/app/app_pages/articles.py").run()
    assert not at.exception
    rendered = "\n".join([m.value for m in at.markdown] + [h.value for h in at.subheader] + [c.value for c in at.caption])
    ours = re.sub(r":(?:blue|orange)-background\[((?:\\.|[^\]\\])*)\]", r"\1", rendered)  # our highlight directives
    assert not re.search(r"(?<!\\)[<>\[\]]", ours)                          # no unescaped HTML or link syntax
    assert "\\<script\\>" in rendered and "\\<img src\\=x" in rendered    # shown as text
    assert ":blue-background[Nguyễn Phú Trọng]" in rendered               # the official highlighted
    assert all(not m.proto.allow_html for m in at.markdown)


@pytest.mark.parametrize("page", PAGE_IDS)
def test_page_runs_with_republished_stories_counted_once(page, sample_build, tmp_path, monkeypatch):
    # the sidebar's "count republished stories once" switch narrows every page to original articles
    at = _open(_app(monkeypatch, sample_build, tmp_path), page)
    at.toggle(key="f_dedupe").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "overview.py":
        articles = pd.read_parquet(sample_build / "articles.parquet")
        assert {m.label: m.value for m in at.metric}["Bài viết"] == str(articles["duplicate_of"].isna().sum())
    elif page == "keywords.py":
        assert len(at.get("plotly_chart")) == 3
