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
    """Conferences on a time axis from start to end, coloured by the number of articles about each."""
    data = coverage.assign(end_drawn=coverage["end"] + pd.Timedelta(days=1))
    fig = px.timeline(data, x_start="start", x_end="end_drawn", y="name", color="articles",
                      color_continuous_scale=_SCALE, hover_data={"venue": True, "articles": True, "end_drawn": False},
                      labels={"articles": labels["coverage"], "name": labels["conference"], "venue": labels["venue"]})
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_traces(marker_line_width=6, marker_line_color=fig.data[0].marker.color if fig.data else None)
    fig.add_trace(go.Scatter(x=data["start"], y=data["name"], mode="markers", marker=dict(
        size=(6 + data["articles"] * 3).clip(upper=30), color=data["articles"], colorscale=_SCALE,
        line=dict(width=1, color="#234")), showlegend=False, hoverinfo="skip", name="coverage"))
    return _style(fig, height=max(260, 34 * len(data) + 80))


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
    """One square tile per province at its geographic place, shaded by participation; Hoàng Sa and Trường Sa shown."""
    data = tiles.merge(participation, on="unit", how="left").fillna({"participating": 0, "mentioned": 0})
    provinces = data[data["kind"] == "province"]
    islands = data[data["kind"] != "province"]
    short = provinces["unit"].str.replace("Thành phố ", "TP ", regex=False).str.replace(" - ", "-", regex=False)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=provinces["col"], y=-provinces["row"], mode="markers+text", name=labels["participation"],
        marker=dict(symbol="square", size=30, color=provinces["participating"], colorscale=_SCALE, cmin=0,
                    line=dict(width=1, color="#9ab"), colorbar=dict(title=labels["participation"], thickness=12)),
        text=[s[:7] for s in short], textfont=dict(size=8), textposition="middle center",
        customdata=provinces[["unit", "participating", "mentioned"]].values,
        hovertemplate="<b>%{customdata[0]}</b><br>" + labels["participating"] + ": %{customdata[1]}<br>" +
                      labels["mentioned"] + ": %{customdata[2]}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=islands["col"], y=-islands["row"], mode="markers+text", name="archipelagos",
        marker=dict(symbol="diamond", size=16, color="#cfe3ea", line=dict(width=1, color="#6a8a99")),
        text=islands["unit"], textposition="bottom center", textfont=dict(size=10),
        customdata=islands[["unit", "kind"]].values, hovertemplate="<b>%{customdata[0]}</b><extra></extra>"))
    fig.update_xaxes(visible=False, range=[provinces["col"].min() - 1, data["col"].max() + 3])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(showlegend=False)
    return _style(fig, height=860)


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
