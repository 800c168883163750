"""Bài viết / Articles: a searchable list and a reader with officials and provinces highlighted.

Article text is untrusted: it is escaped for Markdown and never rendered as HTML.
"""
import pandas as pd
import streamlit as st

from dashboard.app.components import labels, md_escape, require_articles
from dashboard.app.data import get_store, raw_dir
from dashboard.app.state import current_filters, page_param, set_page_param

LIST_LIMIT = 1000  # rows sent to the browser; the count says how many matched

L = labels()
st.title(L["page_articles"])
store, filters = get_store(), current_filters()
total = store.count(filters)
if require_articles(total):
    query = st.text_input(L["search"], key="art_search", max_chars=200)
    shown = store.articles(filters, search=query or None, limit=LIST_LIMIT)
    if not query and total > len(shown):
        st.caption(L["showing_n"].format(n=len(shown), total=total))
    conference_names = store.conferences.set_index("conference_id")["name"]
    table = pd.DataFrame({
        "date": shown["date"], "title": shown["title"].fillna(L["no_title"]), "outlet": shown["outlet"].fillna("—"),
        "conference": shown["conference_id"].map(conference_names), "source": shown["source"],
        "article_id": shown["article_id"]})
    st.dataframe(table.drop(columns=["article_id"]), hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn(L["published"], format="DD/MM/YYYY"), "title": L["title"],
        "outlet": L["outlet"], "conference": L["conference"], "source": L["source_file"]})

    ids = table["article_id"].tolist()
    titles = dict(zip(table["article_id"], table["title"]))
    focus = page_param("article")
    if focus and focus not in titles:  # a shared link to an article outside the first rows of the list
        linked = store.article(focus)
        if linked is not None:
            ids.insert(0, focus)
            titles[focus] = linked["title"] if isinstance(linked["title"], str) else L["no_title"]
    picked = st.selectbox(L["open_article"], ids, index=ids.index(focus) if focus in ids else None,
                          format_func=lambda i: titles.get(i, i), key="art_pick", placeholder=L["choose"])
    set_page_param("article", picked)
    row = store.article(picked) if picked else None
    if row is not None:
        mentions = store.article_rows("mentions", picked)
        provinces = store.article_rows("provinces", picked)
        st.subheader(md_escape(row["title"]) if isinstance(row["title"], str) else L["no_title"], anchor=False)
        meta = [f"{L['published']}: {row['published']:%d/%m/%Y}" if pd.notna(row["published"]) else None,
                f"{L['outlet']}: {row['outlet']}" if isinstance(row["outlet"], str) else None,
                f"{L['conference']}: {conference_names.get(row['conference_id'], '—')}",
                f"{L['source_file']}: {row['source']}"]
        st.caption(md_escape(" · ".join(m for m in meta if m)))
        if isinstance(row["duplicate_of"], str):
            original = store.article(row["duplicate_of"])
            label = original["title"] if original is not None and isinstance(original["title"], str) else row["duplicate_of"]
            st.caption(f"{L['duplicate_of']}: {md_escape(label)}")
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
            foreign = store.article_rows("foreign_mentions", picked)
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
