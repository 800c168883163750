"""Bài viết / Articles: a searchable, sortable list and a reader with officials and provinces highlighted.

Article text is untrusted: it is escaped for Markdown and never rendered as HTML.
"""
import pandas as pd
import streamlit as st

from dashboard.app.components import labels, md_escape, require_articles
from dashboard.app.data import raw_dir
from dashboard.app.state import current_view, page_param, set_page_param

L = labels()
st.title(L["page_articles"])
view = current_view()
if require_articles(view):
    articles = view["articles"]
    query = st.text_input(L["search"], key="art_search", max_chars=200)
    shown = articles
    if query:
        needle = query.strip().lower()
        shown = articles[articles["title"].fillna("").str.lower().str.contains(needle, regex=False)
                         | articles["body"].str.lower().str.contains(needle, regex=False)]
    conference_names = view["conferences"].set_index("conference_id")["name"]
    table = pd.DataFrame({
        "date": shown["date"], "title": shown["title"].fillna(L["no_title"]), "outlet": shown["outlet"].fillna("—"),
        "conference": shown["conference_id"].map(conference_names), "source": shown["source"],
        "article_id": shown["article_id"]}).sort_values("date", ascending=False)
    st.dataframe(table.drop(columns=["article_id"]), hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn(L["published"], format="DD/MM/YYYY"), "title": L["title"],
        "outlet": L["outlet"], "conference": L["conference"], "source": L["source_file"]})

    ids = table["article_id"].tolist()
    titles = dict(zip(table["article_id"], table["title"]))
    focus = page_param("article")
    picked = st.selectbox(L["open_article"], ids, index=ids.index(focus) if focus in ids else None,
                          format_func=lambda i: titles.get(i, i), key="art_pick", placeholder=L["choose"])
    set_page_param("article", picked)
    if picked:
        row = articles.set_index("article_id").loc[picked]
        mentions = view["mentions"][view["mentions"]["article_id"] == picked]
        provinces = view["provinces"][view["provinces"]["article_id"] == picked]
        st.subheader(md_escape(row["title"]) if isinstance(row["title"], str) else L["no_title"], anchor=False)
        meta = [f"{L['published']}: {row['published']:%d/%m/%Y}" if pd.notna(row["published"]) else None,
                f"{L['outlet']}: {row['outlet']}" if isinstance(row["outlet"], str) else None,
                f"{L['conference']}: {conference_names.get(row['conference_id'], '—')}",
                f"{L['source_file']}: {row['source']}"]
        st.caption(md_escape(" · ".join(m for m in meta if m)))
        if isinstance(row["duplicate_of"], str):
            st.caption(f"{L['duplicate_of']}: {md_escape(titles.get(row['duplicate_of'], row['duplicate_of']))}")
        left, right = st.columns([3, 1])
        with right:
            st.markdown(f"**{L['officials']}**")
            for name, group in mentions.groupby("name"):
                role = group["role"].dropna()
                st.markdown(f":blue-background[{md_escape(name)}] ×{len(group)}  \n"
                            f"{md_escape(role.iloc[0]) if len(role) else ''}")
            st.markdown(f"**{L['provinces']}**")
            for p in provinces.itertuples():
                tag = L["participating"] if p.participating else L["mentioned"]
                st.markdown(f":orange-background[{md_escape(p.province)}] {tag}")
            foreign = view["foreign_mentions"][view["foreign_mentions"]["article_id"] == picked]
            if len(foreign):
                st.markdown(f"**{L['foreign']}**")
                st.markdown(", ".join(md_escape(n) for n in foreign["name"].unique()))
        with left:
            body = row["body"]
            spans = [(m.position, m.end, "blue") for m in mentions.itertuples()]
            spans += [(start, end, "orange") for p in provinces.itertuples() for start, end in zip(p.positions, p.ends)]
            pieces, cursor = [], 0
            for start, end, colour in sorted(spans):
                if start < cursor:
                    continue
                pieces.append(md_escape(body[cursor:start]))
                pieces.append(f":{colour}-background[{md_escape(body[start:end])}]")
                cursor = end
            pieces.append(md_escape(body[cursor:]))
            st.markdown("".join(pieces).replace("  \n", "\n\n"))
            source = (raw_dir() / row["source"]).resolve()
            if source.is_file() and raw_dir().resolve() in source.parents:
                st.download_button(L["source_file"], source.read_bytes(), file_name=source.name, key="art_source",
                                   icon=":material/description:")
