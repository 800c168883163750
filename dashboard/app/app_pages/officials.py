"""Quan chức / Officials: mentions per official, one official over time and across conferences, co-mentions."""
import streamlit as st

from dashboard.app import charts
from dashboard.app.components import chart, labels, md_escape, require_articles
from dashboard.app.data import get_store
from dashboard.app.lookups import roles_held
from dashboard.app.state import current_filters, page_param, set_page_param

L = labels()
st.title(L["page_officials"])
store, filters = get_store(), current_filters()
if require_articles(store.count(filters)):
    counts = store.officials(filters)
    if counts.empty:
        st.info(L["no_match"])
    else:
        left, right = st.columns([1, 3])
        top_n = left.slider(L["top_n"], 5, max(5, min(50, len(counts))), min(15, max(5, len(counts))), key="off_top_n")
        colour = left.toggle(L["by_role"], value=True, key="off_colour")
        top = counts.head(top_n)
        with right:
            chart(charts.officials_bar(top, L, colour), top, "officials_top")

        names = counts["name"].tolist()
        focus = page_param("official")
        picked = st.selectbox(L["pick_official"], names, index=names.index(focus) if focus in names else 0,
                              key="off_focus")
        set_page_param("official", picked)
        st.subheader(md_escape(picked))
        held = roles_held(picked)
        if len(held):
            st.caption(L["roles_held"])
            st.dataframe(held, hide_index=True, width="stretch", column_config={
                "role": L["role"], "start": st.column_config.DateColumn(L["start"], format="DD/MM/YYYY"),
                "end": st.column_config.DateColumn(L["end"], format="DD/MM/YYYY")})
        a, b = st.columns(2)
        monthly = store.official_monthly(filters, picked)
        by_conf = store.official_by_conference(filters, picked)
        with a:
            st.markdown(f"**{L['over_time']}**")
            chart(charts.official_over_time(monthly, L), monthly, "official_monthly")
        with b:
            st.markdown(f"**{L['across_conferences']}**")
            if by_conf.empty:
                st.caption("—")
            else:
                chart(charts.official_across_conferences(by_conf, L), by_conf, "official_conferences")

        st.subheader(L["co_mentions"])
        matrix = store.co_mentions(filters, names[:12])
        chart(charts.co_mention_heatmap(matrix, L), matrix, "co_mentions")
