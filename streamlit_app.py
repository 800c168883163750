"""Entry point: page config and navigation only (`streamlit run streamlit_app.py`)."""
import streamlit as st

from dashboard.app.registry import PAGES, PAGES_DIR

st.set_page_config(page_title="Đối ngoại Việt Nam qua báo chí", page_icon=":material/public:", layout="wide")
pages = [st.Page(str(PAGES_DIR / file), title=title, icon=icon, url_path=url) for file, title, icon, url in PAGES]
st.navigation(pages).run()
