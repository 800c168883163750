"""Charts: pure functions from DataFrames to Plotly figures (no streamlit, inputs never modified)."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

_FONT = dict(family="Inter, 'Noto Sans', 'Segoe UI', sans-serif", size=13)
_SCALE = "Teal"


def _style(fig: go.Figure, height: int | None = None) -> go.Figure:
    fig.update_layout(font=_FONT, margin=dict(l=10, r=10, t=40, b=10), template="plotly_white",
                      hoverlabel=dict(font=_FONT))
    if height:
        fig.update_layout(height=height)
    return fig


def timeline(coverage: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Conferences on a time axis: a segment from start to end and a marker sized and coloured by coverage."""
    data = coverage.assign(series=coverage["series"].fillna("—"), venue=coverage["venue"].fillna("—"))
    data["label"] = [short_conference_label(n, s) for n, s in zip(data["name"], data["start"])]
    fig = go.Figure()
    for row in data.itertuples():
        fig.add_trace(go.Scatter(x=[row.start, row.end + pd.Timedelta(days=1)], y=[row.label, row.label], mode="lines",
                                 line=dict(width=10, color="#8fb8c4"), hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=data["start"], y=data["label"], mode="markers", name=labels["coverage"], showlegend=False,
        marker=dict(size=(10 + data["articles"] * 4).clip(upper=40), color=data["articles"], colorscale=_SCALE,
                    cmin=0, line=dict(width=1, color="#234"), colorbar=dict(title=labels["coverage"], thickness=12, len=0.5)),
        customdata=data[["venue", "articles", "end", "name"]].astype(str).values,
        hovertemplate="<b>%{customdata[3]}</b><br>%{x|%d/%m/%Y} – %{customdata[2]}<br>" + labels["venue"] +
                      ": %{customdata[0]}<br>" + labels["coverage"] + ": %{customdata[1]}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None, tickformat="%m/%Y")
    return _style(fig, height=max(280, 30 * len(data) + 100))


def officials_bar(counts: pd.DataFrame, labels: dict[str, str], colour_by_role: bool = True) -> go.Figure:
    """Mentions per official, most mentioned on top."""
    data = counts.assign(role=counts["role"].fillna("—"))
    fig = px.bar(data, x="mentions", y="name", orientation="h", color="role" if colour_by_role else None,
                 hover_data={"articles": True}, labels={"mentions": labels["mentions"], "name": "",
                                                        "role": labels["role"], "articles": labels["articles"]})
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["name"])[::-1])
    fig.update_layout(legend=dict(orientation="h", y=-0.15))
    return _style(fig, height=max(300, 26 * len(data) + 120))


def official_over_time(monthly: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.bar(monthly, x="month", y="mentions", color="role",
                 labels={"month": labels["month"], "mentions": labels["mentions"], "role": labels["role"]})
    fig.update_xaxes(dtick="M3", tickformat="%m/%Y")
    return _style(fig, height=320)


def official_across_conferences(by_conference: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.bar(by_conference, x="mentions", y="conference", color="role", orientation="h",
                 labels={"mentions": labels["mentions"], "conference": "", "role": labels["role"]})
    fig.update_yaxes(categoryorder="array", categoryarray=list(dict.fromkeys(by_conference["conference"]))[::-1])
    return _style(fig, height=max(260, 34 * by_conference["conference"].nunique() + 100))


def co_mention_heatmap(matrix: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.imshow(matrix, text_auto=True, color_continuous_scale=_SCALE, aspect="auto",
                    labels={"color": labels["articles"]})
    fig.update_xaxes(side="top", tickangle=-40, title=None)
    fig.update_yaxes(title=None)
    return _style(fig, height=max(320, 30 * len(matrix) + 160))


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
    fig = go.Figure()
    shapes = [dict(type="rect", x0=row.col - 0.47, x1=row.col + 0.47, y0=-row.row - 0.47, y1=-row.row + 0.47,
                   fillcolor=colour if row.participating else ("#eef3f5" if row.mentioned else "#ffffff"),
                   line=dict(width=1, color="#9ab"), layer="below")
              for row, colour in zip(provinces.itertuples(), colours)]
    fig.update_layout(shapes=shapes)  # one layout update: adding 63 shapes one by one re-validates 63 times
    short = provinces["unit"].map(_tile_label)
    fig.add_trace(go.Scatter(
        x=provinces["col"], y=-provinces["row"], mode="text", text=short, textfont=dict(size=10, color="#123"),
        customdata=provinces[["unit", "participating", "mentioned"]].values, name=labels["participation"],
        hovertemplate="<b>%{customdata[0]}</b><br>" + labels["participating"] + ": %{customdata[1]}<br>" +
                      labels["mentioned"] + ": %{customdata[2]}<extra></extra>"))
    fig.add_trace(go.Scatter(  # invisible carrier of the colour scale
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(color=[0, top], colorscale=_SCALE, cmin=0, cmax=top, showscale=True,
                    colorbar=dict(title=labels["participation"], thickness=12, len=0.35, x=0.02, y=0.25))))
    fig.add_trace(go.Scatter(
        x=islands["col"], y=-islands["row"], mode="markers+text", name="archipelagos",
        marker=dict(symbol="diamond", size=14, color="#cfe3ea", line=dict(width=1, color="#6a8a99")),
        text=islands["unit"], textposition="bottom center", textfont=dict(size=10),
        customdata=islands[["unit"]].values, hovertemplate="<b>%{customdata[0]}</b><extra></extra>"))
    fig.update_xaxes(visible=False, range=[data["col"].min() - 4, data["col"].max() + 2])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(showlegend=False, plot_bgcolor="white")
    return _style(fig, height=1050)


def _tile_label(unit: str) -> str:
    """A short tile label: initials for two-word names are unreadable, so keep the first syllable(s)."""
    special = {"Thành phố Hồ Chí Minh": "TP.HCM", "Bà Rịa - Vũng Tàu": "BR-VT", "Thừa Thiên Huế": "Huế"}
    if unit in special:
        return special[unit]
    words = unit.split()
    return unit if len(unit) <= 9 else words[0] + " " + words[1][:1] + "."


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
    fig = px.imshow(matrix, color_continuous_scale=_SCALE, aspect="auto", text_auto=True,
                    labels={"color": labels["articles"]})
    fig.update_xaxes(side="top", tickangle=-35, title=None)
    fig.update_yaxes(title=None)
    return _style(fig, height=max(320, 26 * len(matrix) + 200))


def keyword_heatmap(rates: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Rows: terms; columns: conferences; values: occurrences per 10,000 words."""
    fig = px.imshow(rates, color_continuous_scale=_SCALE, aspect="auto", labels={"color": labels["rate"]})
    fig.update_xaxes(side="top", tickangle=-35, title=None)
    fig.update_yaxes(title=None)
    return _style(fig, height=max(360, 22 * len(rates) + 200))


def keyword_trend(monthly: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.line(monthly, x="month", y="rate", color="term", markers=True,
                  labels={"month": labels["month"], "rate": labels["rate"], "term": labels["terms"]})
    return _style(fig, height=360)


def distinctive_bar(terms: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.bar(terms, x="zeta", y="term", orientation="h", hover_data={"count": True},
                 labels={"zeta": labels["zeta"], "term": ""}, color="zeta", color_continuous_scale=_SCALE)
    fig.update_yaxes(categoryorder="array", categoryarray=list(terms["term"])[::-1])
    fig.update_layout(coloraxis_showscale=False)
    return _style(fig, height=max(300, 24 * len(terms) + 100))
