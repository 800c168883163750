"""Entry point: page config, access, navigation and the shared sidebar filters (`streamlit run streamlit_app.py`)."""
import streamlit as st

from dashboard.app.access import require_access
from dashboard.app.data import ensure_built
from dashboard.app.i18n import t
from dashboard.app.registry import EDITOR_PAGES, PAGES, PAGES_DIR
from dashboard.app.state import lang, sidebar

st.set_page_config(page_title="Đối ngoại Việt Nam qua báo chí", page_icon=":material/public:", layout="wide")
role = require_access(lang())
st.session_state["_role"] = role
routed = PAGES + (EDITOR_PAGES if role == "editor" else [])
pages = [st.Page(str(PAGES_DIR / file), title=t(key, lang()), icon=icon, url_path=url)
         for file, key, icon, url in routed]
navigation = st.navigation(pages)
st.sidebar.caption(t("app_title", lang()))
if not ensure_built(lang()):
    st.title(t("app_title", lang()))
    st.info(t("no_data", lang()), icon=":material/inventory_2:")
    if role != "editor":
        st.stop()
    if navigation.url_path != "upload":  # an editor can still add the first articles
        st.stop()
    navigation.run()
    st.stop()

from dashboard.app.data import get_store  # noqa: E402  (after the first-start build)

st.session_state["_filters"] = sidebar(get_store())
navigation.run()
