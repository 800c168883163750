"""Tổng quan / Overview: headline figures, the latest conferences, what changed recently."""
import pandas as pd
import streamlit as st

from dashboard.app.components import labels, md_escape, require_articles
from dashboard.app.data import get_store
from dashboard.app.state import current_filters

L = labels()
st.title(L["page_overview"])
store, filters = get_store(), current_filters()
figures = store.summary(filters)
if require_articles(figures["articles"]):
    cols = st.columns(5)
    cols[0].metric(L["articles"], figures["articles"])
    cols[1].metric(L["conferences"], figures["conferences"])
    cols[2].metric(L["officials"], figures["officials"])
    cols[3].metric(L["provinces"], figures["provinces"])
    first, last = figures["first"], figures["last"]
    cols[4].metric(L["date_span"], f"{first:%Y}–{last:%Y}" if pd.notna(first) else "—")

    left, right = st.columns(2)
    with left:
        st.subheader(L["latest_conferences"])
        latest = store.coverage(filters).sort_values("start", ascending=False).head(6)
        latest["venue"] = latest["venue"].fillna("—")
        st.dataframe(latest[["name", "start", "end", "venue", "articles"]], hide_index=True, width="stretch",
                     # a long name would otherwise push the dates out of the half-width table
                     column_config={"name": st.column_config.TextColumn(L["conference"], width="medium"),
                                    "start": st.column_config.DateColumn(L["start"], format="DD/MM/YYYY"),
                                    "end": st.column_config.DateColumn(L["end"], format="DD/MM/YYYY"),
                                    "venue": L["venue"], "articles": L["coverage"]})
    with right:
        st.subheader(L["what_changed"])
        for row in store.articles(filters, limit=6).itertuples():
            when = f"{row.date:%d/%m/%Y}" if pd.notna(row.date) else "—"
            st.markdown(f"**{when}** · " + md_escape(row.title if isinstance(row.title, str) else L["no_title"]))
        top = store.officials(filters).head(5)  # the cached answer the officials page uses too
        if len(top):
            st.caption(L["officials"] + ": " + ", ".join(f"{n} ({m})" for n, m in zip(top["name"], top["mentions"])))
if len(store.rejected):
    with st.expander(f"{L['rejected_files']} ({len(store.rejected)})"):
        st.dataframe(store.rejected, hide_index=True, width="stretch")
