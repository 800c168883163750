"""Từ khóa / Keywords: keyword × conference heatmap, chosen keywords over time, distinctive words of a conference.

Word statistics count each republished story once (original articles only), whatever the dedupe switch says.
"""
import streamlit as st

from dashboard.analysis import distinctive_terms, term_rates
from dashboard.app import charts
from dashboard.app.components import chart, labels, require_articles
from dashboard.app.data import get_store
from dashboard.app.state import current_filters

L = labels()
st.title(L["page_keywords"])
store, filters = get_store(), current_filters()
if require_articles(store.count(filters)):
    coverage = store.coverage(filters)
    names = dict(zip(coverage["conference_id"], coverage["name"] + " (" + coverage["start"].dt.strftime("%m/%Y") + ")"))
    short = {c: charts.short_conference_label(n, s) for c, n, s in
             zip(coverage["conference_id"], coverage["name"], coverage["start"])}
    by_conf = store.keyword_counts(filters, "conference_id")
    vocabulary = store.vocabulary(filters)
    if not vocabulary:
        st.info(L["no_match"])
    else:
        if len(by_conf):
            rates = term_rates(by_conf, "conference_id")
            # Terms that run across conferences (in at least two), ranked by their summed rate: the vocabulary that moves.
            spread = rates.groupby("term").agg(total=("rate", "sum"), conferences=("conference_id", "nunique"))
            shared = spread[spread["conferences"] >= min(2, rates["conference_id"].nunique())]
            top_terms = shared.sort_values(["total"], ascending=False).head(25).index.tolist()
            heat = rates[rates["term"].isin(top_terms)].pivot_table(index="term", columns="conference_id",
                                                                     values="rate", fill_value=0.0)
            order = [c for c in coverage["conference_id"] if c in heat.columns]
            heat = heat.reindex(index=top_terms)[order].rename(columns=short)
            st.subheader(L["keyword_heatmap"])
            chart(charts.keyword_heatmap(heat, L), heat, "keyword_heatmap")

        st.subheader(L["keyword_trend"])
        chosen = st.multiselect(L["pick_keywords"], vocabulary, default=vocabulary[:3], key="kw_terms",
                                placeholder=L["choose"])
        trend = store.keyword_trend(filters, chosen) if chosen else None
        if trend is not None and len(trend):
            chart(charts.keyword_trend(trend, L), trend, "keyword_trend")

        st.subheader(L["distinctive"])
        present = set(by_conf["conference_id"].unique())
        with_words = [c for c in names if c in present]
        if with_words:
            target = st.selectbox(L["conference"], with_words, format_func=names.get, key="kw_conference",
                                  index=len(with_words) - 1)
            terms = distinctive_terms(by_conf, "conference_id", target).head(20)
            if len(terms):
                chart(charts.distinctive_bar(terms, L), terms, "distinctive_terms")
