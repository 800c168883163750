"""Dòng thời gian / Timeline: conferences from start to end, coloured by coverage, with their articles."""
import streamlit as st

from dashboard.app import charts
from dashboard.app.components import chart, labels, md_escape, require_articles
from dashboard.app.data import get_store
from dashboard.app.state import current_filters

L = labels()
st.title(L["page_timeline"])
store, filters = get_store(), current_filters()
if require_articles(store.count(filters)):
    coverage = store.coverage(filters)
    if coverage.empty:
        st.info(L["no_match"])
    else:
        chart(charts.timeline(coverage, L), coverage[["conference_id", "name", "start", "end", "venue", "articles"]],
              "timeline")
        names = dict(zip(coverage["conference_id"], coverage["name"] + " (" + coverage["start"].dt.strftime("%d/%m/%Y") + ")"))
        picked = st.selectbox(L["pick_conference"], list(names), format_func=names.get, index=None, key="timeline_pick",
                              placeholder=L["choose"])
        if picked:
            row = coverage.set_index("conference_id").loc[picked]
            st.subheader(md_escape(row["name"]))
            st.caption(f"{L['start']}: {row['start']:%d/%m/%Y} · {L['end']}: {row['end']:%d/%m/%Y} · "
                       f"{L['venue']}: {md_escape(row['venue']) if isinstance(row['venue'], str) else '—'}")
            shown = 200
            items = store.articles(filters, conference=picked, limit=shown).iloc[::-1]
            if row["articles"] > shown:
                st.caption(L["latest_n"].format(n=shown, total=row["articles"]))
            for item in items.itertuples():
                title = item.title if isinstance(item.title, str) else L["no_title"]
                st.markdown(f"- {item.date:%d/%m/%Y} · {md_escape(title)} · *{md_escape(item.outlet or '—')}*")

            def _narrow(cid=picked):
                st.session_state["f_conferences"] = [cid]

            st.button(L["narrow_to"], on_click=_narrow, icon=":material/filter_alt:")
