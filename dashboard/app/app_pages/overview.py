"""Tổng quan / Overview: headline figures of the processed corpus."""
import streamlit as st

from dashboard import config
from dashboard.app.data import build_stamp, ensure_built, load_tables

st.title("Tổng quan / Overview")
if not ensure_built():
    st.info("Chưa có dữ liệu. Đặt bài viết vào data/raw rồi chạy `dashboard build`. / No data yet: put articles in "
            "data/raw and run `dashboard build`.")
    st.stop()
tables = load_tables(str(config.PROCESSED_DIR), build_stamp(config.PROCESSED_DIR))
articles, mentions, provinces = tables["articles"], tables["mentions"], tables["provinces"]
conferences = tables["conferences"]
cols = st.columns(4)
cols[0].metric("Bài viết / Articles", len(articles))
cols[1].metric("Hội nghị / Conferences", int((conferences["articles"] > 0).sum()))
cols[2].metric("Quan chức / Officials", mentions["name"].nunique())
cols[3].metric("Tỉnh thành / Provinces", provinces["province"].nunique())
st.dataframe(articles[["title", "published", "outlet", "conference_id"]], hide_index=True)
