"""Charts are pure functions: their traces are checked here without a browser."""
import pandas as pd
import pytest

from dashboard.app import charts
from dashboard.app.lookups import tiles
from dashboard.app.i18n import LABELS

L = {key: vi for key, (vi, _) in LABELS.items()}


def test_timeline_one_marker_per_conference_sized_by_coverage():
    coverage = pd.DataFrame({
        "conference_id": ["ngoai-giao-31", "ngoai-giao-32"], "name": ["Hội nghị Ngoại giao lần thứ 31", "Hội nghị Ngoại giao lần thứ 32"],
        "series": ["ngoai_giao", "ngoai_giao"], "start": pd.to_datetime(["2021-12-15", "2023-12-19"]),
        "end": pd.to_datetime(["2021-12-18", "2023-12-23"]), "venue": ["Hà Nội", None], "articles": [2, 6]})
    fig = charts.timeline(coverage, L)
    markers = [t for t in fig.data if t.mode == "markers"][0]
    assert list(markers.y) == ["NG 31 · 12/2021", "NG 32 · 12/2023"]
    assert markers.marker.size[1] > markers.marker.size[0]           # more articles, bigger marker
    segments = [t for t in fig.data if t.mode == "lines"]
    assert len(segments) == 2 and segments[1].x[1] == pd.Timestamp("2023-12-24")  # drawn through the last day


def test_officials_bar_most_mentioned_on_top():
    counts = pd.DataFrame({"name": ["Nguyễn Phú Trọng", "Bùi Thanh Sơn"], "role": ["Tổng Bí thư", None],
                           "mentions": [9, 4], "articles": [3, 2]})
    fig = charts.officials_bar(counts, L)
    order = fig.layout.yaxis.categoryarray
    assert list(order) == ["Bùi Thanh Sơn", "Nguyễn Phú Trọng"]      # plotly draws bottom-up
    assert {t.name for t in fig.data} == {"Tổng Bí thư", "—"}


@pytest.mark.parametrize("scheme, units", [("63", 63), ("34", 34)])
def test_tile_map_has_one_tile_per_unit_and_both_archipelagos(scheme, units):
    participation = pd.DataFrame({"unit": ["Hà Nội", "Bình Phước" if scheme == "63" else "Đồng Nai"],
                                  "participating": [3, 1], "mentioned": [5, 1]})
    fig = charts.tile_map(tiles(scheme), participation, L)
    assert len(fig.layout.shapes) == units
    islands = [t for t in fig.data if t.name == "archipelagos"][0]
    assert set(islands.text) == {"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}
    text = [t for t in fig.data if t.mode == "text"][0]
    hover = {row[0]: row[1] for row in text.customdata}
    assert hover["Hà Nội"] == 3
    # every label fits its tile: long names ran into their neighbours ("Bắc Kạn" over "Cao Bằng")
    assert all(len(line) <= charts.TILE_LINE_CHARS for label in text.text for line in label.split("<br>"))
    assert dict(zip(text.customdata[:, 0], text.text))["Bắc Kạn" if scheme == "63" else "Lạng Sơn"] in (
        "Bắc<br>Kạn", "Lạng<br>Sơn")


def test_keyword_heatmap_keeps_rates():
    rates = pd.DataFrame({"NG 31": [12.0, 0.0], "NG 32": [3.0, 8.0]}, index=["vaccine", "ngoại giao cây tre"])
    fig = charts.keyword_heatmap(rates, L)
    assert fig.data[0].z.tolist() == [[12.0, 3.0], [0.0, 8.0]]


@pytest.mark.parametrize("name, start, label", [
    ("Hội nghị Ngoại giao lần thứ 32", pd.Timestamp("2023-12-19"), "NG 32 · 12/2023"),
    ("Hội nghị Ngoại vụ toàn quốc lần thứ 21", pd.Timestamp("2023-12-18"), "NV 21 · 12/2023"),
    ("Hội nghị tổng kết công tác năm 2022 của Ban Đối ngoại Trung ương", pd.NaT, "BĐNTW tổng kết 2022"),
])
def test_short_conference_labels(name, start, label):
    assert charts.short_conference_label(name, start) == label
