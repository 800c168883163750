"""Từ khóa / Keywords: keyword × conference heatmap, chosen keywords over time, distinctive words of a conference."""
import streamlit as st

from dashboard.analysis import distinctive_terms, term_rates
from dashboard.app import charts
from dashboard.app.aggregates import conference_coverage
from dashboard.app.components import chart, labels, require_articles
from dashboard.app.state import current_view

L = labels()
st.title(L["page_keywords"])
view = current_view()
if require_articles(view):
    articles = view["articles"]
    originals = articles[articles["duplicate_of"].isna()]  # a republished story counts once in word statistics
    keywords = view["keywords"].merge(originals[["article_id", "conference_id", "date"]], on="article_id")
    coverage = conference_coverage(view["conferences"], articles)
    names = dict(zip(coverage["conference_id"], coverage["name"] + " (" + coverage["start"].dt.strftime("%m/%Y") + ")"))
    short = {c: charts.short_conference_label(n, s) for c, n, s in
             zip(coverage["conference_id"], coverage["name"], coverage["start"])}
    by_conf = keywords.dropna(subset=["conference_id"])
    if keywords.empty:
        st.info(L["no_match"])
    else:
        rates = term_rates(by_conf, "conference_id")
        # Terms that run across conferences (in at least two), ranked by their summed rate: the vocabulary that moves.
        spread = rates.groupby("term").agg(total=("rate", "sum"), conferences=("conference_id", "nunique"))
        shared = spread[spread["conferences"] >= min(2, rates["conference_id"].nunique())]
        top_terms = shared.sort_values("total", ascending=False).head(25).index.tolist()
        heat = (rates[rates["term"].isin(top_terms)].pivot_table(index="term", columns="conference_id", values="rate",
                                                                 fill_value=0.0))
        order = [c for c in coverage["conference_id"] if c in heat.columns]
        heat = heat.reindex(index=top_terms)[order].rename(columns=short)
        st.subheader(L["keyword_heatmap"])
        chart(charts.keyword_heatmap(heat, L), heat, "keyword_heatmap")

        st.subheader(L["keyword_trend"])
        vocabulary = keywords.groupby("term")["count"].sum().sort_values(ascending=False).index.tolist()
        chosen = st.multiselect(L["pick_keywords"], vocabulary, default=vocabulary[:3], key="kw_terms",
                                placeholder=L["choose"])
        monthly = keywords.assign(month=keywords["date"].dt.to_period("M").dt.to_timestamp())
        trend = term_rates(monthly, "month")
        trend = trend[trend["term"].isin(chosen)].sort_values("month")
        if chosen and len(trend):
            chart(charts.keyword_trend(trend, L), trend, "keyword_trend")

        st.subheader(L["distinctive"])
        if names:
            target = st.selectbox(L["conference"], list(names), format_func=names.get, key="kw_conference",
                                  index=len(names) - 1)
            terms = distinctive_terms(by_conf, "conference_id", target).head(20)
            if len(terms):
                chart(charts.distinctive_bar(terms, L), terms, "distinctive_terms")
