"""Tổng quan / Overview: headline figures, the latest conferences, what changed recently."""
import pandas as pd
import streamlit as st

from dashboard.app.aggregates import conference_coverage, mentions_per_official
from dashboard.app.components import labels, md_escape, require_articles
from dashboard.app.data import get_tables
from dashboard.app.state import current_view

L = labels()
st.title(L["page_overview"])
view = current_view()
if require_articles(view):
    articles = view["articles"]
    coverage = conference_coverage(view["conferences"], articles)
    dates = articles["date"].dropna()
    cols = st.columns(5)
    cols[0].metric(L["articles"], len(articles))
    cols[1].metric(L["conferences"], len(coverage))
    cols[2].metric(L["officials"], view["mentions"]["name"].nunique())
    cols[3].metric(L["provinces"], view["provinces"].loc[view["provinces"]["participating"], "province"].nunique())
    cols[4].metric(L["date_span"], f"{dates.min():%Y}–{dates.max():%Y}" if len(dates) else "—")

    left, right = st.columns(2)
    with left:
        st.subheader(L["latest_conferences"])
        latest = coverage.sort_values("start", ascending=False).head(6)
        st.dataframe(latest[["name", "start", "end", "venue", "articles"]], hide_index=True, width="stretch",
                     column_config={"name": L["conference"], "start": st.column_config.DateColumn(L["start"], format="DD/MM/YYYY"),
                                    "end": st.column_config.DateColumn(L["end"], format="DD/MM/YYYY"),
                                    "venue": L["venue"], "articles": L["coverage"]})
    with right:
        st.subheader(L["what_changed"])
        recent = articles.sort_values("date", ascending=False).head(6)
        for row in recent.itertuples():
            when = f"{row.date:%d/%m/%Y}" if pd.notna(row.date) else "—"
            st.markdown(f"**{when}** · " + md_escape(row.title if isinstance(row.title, str) else L["no_title"]))
        top = mentions_per_official(view["mentions"]).head(5)
        if len(top):
            st.caption(L["officials"] + ": " + ", ".join(f"{n} ({m})" for n, m in zip(top["name"], top["mentions"])))
    rejected = get_tables()["rejected"]
    if len(rejected):
        with st.expander(f"{L['rejected_files']} ({len(rejected)})"):
            st.dataframe(rejected, hide_index=True, width="stretch")
