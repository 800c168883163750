"""Charts: pure functions from DataFrames to Plotly figures (no streamlit, inputs never modified)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

_FONT = dict(family="Inter, 'Noto Sans', 'Segoe UI', sans-serif", size=13)
_SCALE = "Teal"
_PALETTE = ["#1f6f8b", "#e07a5f", "#3d9970", "#b56576", "#f2a541", "#6d597a", "#4f8fc0", "#8d9b3a", "#c06c84",
            "#355c7d", "#99b898", "#d4a5a5"]


def _figure(traces: list, height: int, **layout) -> go.Figure:
    """A figure built in one step. Plotly validates every property on every update (about 4 ms a call), so the
    layout is given whole here rather than in update_* calls; and no template is set: Streamlit themes the chart,
    and assigning one costs 15-50 ms."""
    return go.Figure(traces, layout=dict(font=_FONT, margin=dict(l=10, r=10, t=40, b=10), hoverlabel=dict(font=_FONT),
                                         height=height, **layout))


def timeline(coverage: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Conferences on a time axis: a segment from start to end and a marker sized and coloured by coverage."""
    data = coverage.assign(series=coverage["series"].fillna("—"), venue=coverage["venue"].fillna("—"))
    data["label"] = [short_conference_label(n, s) for n, s in zip(data["name"], data["start"])]
    traces = [go.Scatter(x=[row.start, row.end + pd.Timedelta(days=1)], y=[row.label, row.label], mode="lines",
                         line=dict(width=10, color="#8fb8c4"), hoverinfo="skip", showlegend=False)
              for row in data.itertuples()]
    traces.append(go.Scatter(
        x=data["start"], y=data["label"], mode="markers", name=labels["coverage"], showlegend=False,
        marker=dict(size=(10 + data["articles"] * 4).clip(upper=40), color=data["articles"], colorscale=_SCALE,
                    cmin=0, line=dict(width=1, color="#234"), colorbar=dict(title=labels["coverage"], thickness=12, len=0.5)),
        customdata=data[["venue", "articles", "end", "name"]].astype(str).values,
        hovertemplate="<b>%{customdata[3]}</b><br>%{x|%d/%m/%Y} – %{customdata[2]}<br>" + labels["venue"] +
                      ": %{customdata[0]}<br>" + labels["coverage"] + ": %{customdata[1]}<extra></extra>"))
    return _figure(traces, max(280, 30 * len(data) + 100), yaxis=dict(autorange="reversed"),
                   xaxis=dict(tickformat="%m/%Y"))


def _stacked_bars(data: pd.DataFrame, x: str, y: str, colour: str | None, orientation: str,
                  hovertemplate: str, customdata: list[str] | None = None) -> list[go.Bar]:
    """One bar trace per value of `colour` (in order of first appearance), or one trace. Built with graph objects:
    plotly.express costs 50-100 ms a figure in grouping and validation, which was most of a page's time."""
    groups = [(None, data)] if colour is None else list(data.groupby(colour, sort=False))
    # Plain lists: plotly converts pandas columns through narwhals, several ms a column.
    return [go.Bar(x=part[x].tolist(), y=part[y].tolist(), orientation=orientation, name=name,
                   showlegend=name is not None, marker=dict(color=_PALETTE[i % len(_PALETTE)]),
                   hovertemplate=hovertemplate,
                   customdata=part[customdata].astype(str).values.tolist() if customdata else None)
            for i, (name, part) in enumerate(groups)]


def officials_bar(counts: pd.DataFrame, labels: dict[str, str], colour_by_role: bool = True) -> go.Figure:
    """Mentions per official, most mentioned on top."""
    data = counts.assign(role=counts["role"].fillna("—"))
    hover = ("<b>%{y}</b><br>" + labels["role"] + ": %{customdata[0]}<br>" + labels["mentions"] + ": %{x}<br>" +
             labels["articles"] + ": %{customdata[1]}<extra></extra>")
    names = list(data["name"])[::-1]
    roles = data["role"].nunique() if colour_by_role else 0
    height = max(300, 26 * len(data) + 120 + 22 * roles)
    bottom = min(0.6, 22 * roles / height)  # room below the bars for the role legend
    # Every name labelled (plotly thins crowded category labels); the legend starts just under the axis title.
    return _figure(_stacked_bars(data, "mentions", "name", "role" if colour_by_role else None, "h", hover,
                                 ["role", "articles"]), height, barmode="stack",
                   legend=dict(orientation="h", yanchor="top", y=max(bottom - 60 / height, -0.1), traceorder="normal",
                               title=dict(text=labels["role"])),
                   xaxis=dict(title=dict(text=labels["mentions"])),
                   yaxis=dict(categoryorder="array", categoryarray=names, tickmode="array", tickvals=names,
                              ticktext=names, domain=[bottom, 1]))


def official_over_time(monthly: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    hover = "%{x|%m/%Y}<br>" + labels["mentions"] + ": %{y}<extra>%{fullData.name}</extra>"
    return _figure(_stacked_bars(monthly, "month", "mentions", "role", "v", hover), 320, barmode="stack",
                   legend=dict(title=dict(text=labels["role"])),
                   xaxis=dict(dtick="M3", tickformat="%m/%Y", title=dict(text=labels["month"])),
                   yaxis=dict(title=dict(text=labels["mentions"])))


def official_across_conferences(by_conference: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    hover = "<b>%{y}</b><br>" + labels["mentions"] + ": %{x}<extra>%{fullData.name}</extra>"
    return _figure(_stacked_bars(by_conference, "mentions", "conference", "role", "h", hover),
                   max(260, 34 * by_conference["conference"].nunique() + 100), barmode="stack",
                   legend=dict(title=dict(text=labels["role"])), xaxis=dict(title=dict(text=labels["mentions"])),
                   yaxis=dict(categoryorder="array",
                              categoryarray=list(dict.fromkeys(by_conference["conference"]))[::-1]))


def _heatmap(matrix: pd.DataFrame, colour_title: str, text: bool, tickangle: int, height: int) -> go.Figure:
    return _figure([go.Heatmap(
        z=matrix.values, x=[str(c) for c in matrix.columns], y=[str(i) for i in matrix.index], colorscale=_SCALE,
        colorbar=dict(title=colour_title, thickness=12), texttemplate="%{z}" if text else None,
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>")], height, xaxis=dict(side="top", tickangle=tickangle),
        yaxis=dict(autorange="reversed"))


def co_mention_heatmap(matrix: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    return _heatmap(matrix, labels["articles"], text=True, tickangle=-40, height=max(320, 30 * len(matrix) + 160))


def tile_map(tiles: pd.DataFrame, participation: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """One square tile per province at its geographic place, shaded by participation; Hoàng Sa and Trường Sa shown.

    Tiles are drawn as shapes in data coordinates, so they keep their size and never overlap at any width.
    """
    from plotly.colors import sample_colorscale

    data = tiles.merge(participation, on="unit", how="left").fillna({"participating": 0, "mentioned": 0})
    provinces = data[data["kind"] == "province"]
    islands = data[data["kind"] != "province"]
    top = max(1, int(provinces["participating"].max()))
    colours = sample_colorscale(_SCALE, [v / top for v in provinces["participating"]])
    shapes = [dict(type="rect", x0=row.col - 0.47, x1=row.col + 0.47, y0=-row.row - 0.47, y1=-row.row + 0.47,
                   fillcolor=colour if row.participating else ("#eef3f5" if row.mentioned else "#ffffff"),
                   line=dict(width=1, color="#9ab"), layer="below")
              for row, colour in zip(provinces.itertuples(), colours)]
    short = provinces["unit"].map(_tile_label)
    traces = [go.Scatter(
        x=provinces["col"], y=-provinces["row"], mode="text", text=short, textfont=dict(size=10, color="#123"),
        customdata=provinces[["unit", "participating", "mentioned"]].values, name=labels["participation"],
        hovertemplate="<b>%{customdata[0]}</b><br>" + labels["participating"] + ": %{customdata[1]}<br>" +
                      labels["mentioned"] + ": %{customdata[2]}<extra></extra>"),
        go.Scatter(  # invisible carrier of the colour scale
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(color=[0, top], colorscale=_SCALE, cmin=0, cmax=top, showscale=True,
                    colorbar=dict(title=labels["participation"], thickness=12, len=0.35, x=0.02, y=0.25))),
        go.Scatter(
        x=islands["col"], y=-islands["row"], mode="markers+text", name="archipelagos",
        marker=dict(symbol="diamond", size=14, color="#cfe3ea", line=dict(width=1, color="#6a8a99")),
        text=islands["unit"], textposition="bottom center", textfont=dict(size=10),
        customdata=islands[["unit"]].values, hovertemplate="<b>%{customdata[0]}</b><extra></extra>")]
    return _figure(traces, 1050, shapes=shapes, showlegend=False, plot_bgcolor="white",
                   xaxis=dict(visible=False, range=[data["col"].min() - 4, data["col"].max() + 2]),
                   yaxis=dict(visible=False, scaleanchor="x", scaleratio=1))


TILE_LINE_CHARS = 6  # what fits across a tile at the map's font size


def _tile_label(unit: str) -> str:
    """A tile label: one syllable per line, so a name fits its tile ("Bắc<br>Kạn"); the few names of three
    syllables or more have a usual short form. The hover shows the full name.

    >>> _tile_label("Hải Dương"), _tile_label("Thành phố Hồ Chí Minh")
    ('Hải<br>Dương', 'TP.HCM')
    """
    special = {"Thành phố Hồ Chí Minh": "TP.HCM", "Bà Rịa - Vũng Tàu": "BR-VT", "Thừa Thiên Huế": "Huế"}
    if unit in special:
        return special[unit]
    words = unit.split()
    if len(words) > 2:  # not in either scheme today; keep the last two syllables, the distinctive part
        words = words[-2:]
    return "<br>".join(words)


def short_conference_label(name: str, start) -> str:
    """A compact label for axes: "NG 32 · 12/2023", "NV 21", "ĐNTQ 2021", else the name cut to 32 characters."""
    import re

    text = name
    for pattern, short in ((r"Hội nghị Ngoại giao lần thứ (\d+)", r"NG \1"),
                           (r"Hội nghị Ngoại vụ toàn quốc lần thứ (\d+)", r"NV \1"),
                           (r"Hội nghị Đối ngoại toàn quốc", "ĐN toàn quốc"),
                           (r"Hội nghị tổng kết công tác năm (\d{4}) của Ban Đối ngoại Trung ương", r"BĐNTW tổng kết \1"),
                           (r"Hội nghị tổng kết công tác ngành Ngoại giao năm (\d{4})", r"BNG tổng kết \1")):
        if re.fullmatch(pattern, name):
            text = re.sub(pattern, short, name)
            break
    else:
        text = re.sub(r"^Hội nghị\s+", "", name)
        text = text if len(text) <= 32 else text[:31] + "…"
    return f"{text} · {start:%m/%Y}" if pd.notna(start) else text


def province_matrix(matrix: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    return _heatmap(matrix, labels["articles"], text=True, tickangle=-35, height=max(320, 26 * len(matrix) + 200))


def keyword_heatmap(rates: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Rows: terms; columns: conferences; values: occurrences per 10,000 words."""
    return _heatmap(rates.round(1), labels["rate"], text=False, tickangle=-35, height=max(360, 22 * len(rates) + 200))


def keyword_trend(monthly: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    return _figure([go.Scatter(x=part["month"], y=part["rate"], mode="lines+markers", name=term,
                               line=dict(color=_PALETTE[i % len(_PALETTE)]),
                               hovertemplate="%{x|%m/%Y}: %{y:.1f}<extra>%{fullData.name}</extra>")
                    for i, (term, part) in enumerate(monthly.groupby("term", sort=False))], 360,
                   legend=dict(title=dict(text=labels["terms"])), xaxis=dict(title=dict(text=labels["month"])),
                   yaxis=dict(title=dict(text=labels["rate"])))


def distinctive_bar(terms: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    return _figure([go.Bar(
        x=terms["zeta"], y=terms["term"], orientation="h", customdata=terms[["count"]].values,
        marker=dict(color=terms["zeta"], colorscale=_SCALE),
        hovertemplate="<b>%{y}</b><br>z: %{x:.2f}<br>" + labels["mentions"] + ": %{customdata[0]}<extra></extra>")],
        max(300, 24 * len(terms) + 100), xaxis=dict(title=dict(text=labels["zeta"])),
        yaxis=dict(categoryorder="array", categoryarray=list(terms["term"])[::-1]))
