"""Entry point: page config, navigation and the shared sidebar filters (`streamlit run streamlit_app.py`)."""
import streamlit as st

from dashboard.app.data import ensure_built
from dashboard.app.i18n import t
from dashboard.app.registry import PAGES, PAGES_DIR
from dashboard.app.state import lang, sidebar

st.set_page_config(page_title="Đối ngoại Việt Nam qua báo chí", page_icon=":material/public:", layout="wide")
pages = [st.Page(str(PAGES_DIR / file), title=t(key, lang()), icon=icon, url_path=url)
         for file, key, icon, url in PAGES]
navigation = st.navigation(pages)
st.sidebar.caption(t("app_title", lang()))
if not ensure_built(t("building", lang())):
    st.title(t("app_title", lang()))
    st.info(t("no_data", lang()), icon=":material/inventory_2:")
    st.stop()

from dashboard.app.data import get_tables  # noqa: E402  (after the first-start build)

st.session_state["_filters"] = sidebar(get_tables())
navigation.run()
