"""Sidebar widgets for the shared filters and language, kept in `st.query_params` so a copied link opens the
same view. Widgets are keyed; pages read the filters through `current_filters()` and query the store."""
from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.app.i18n import t
from dashboard.store import Filters, Store

_PAGE_PARAMS = ("article", "official", "conference")
_LIST_PARAMS = {"f_conferences": "conf", "f_outlets": "outlet", "f_officials": "who", "f_provinces": "province"}


def lang() -> str:
    return st.session_state.get("lang", "vi")


def _init_from_url(options: dict[str, list]) -> None:
    """Seed widget state from the URL once per session (a shared link), keeping only values that exist."""
    if st.session_state.get("_url_loaded"):
        return
    params = st.query_params
    st.session_state["lang"] = params.get("lang", "vi") if params.get("lang") in ("vi", "en") else "vi"
    for key, param in _LIST_PARAMS.items():
        values = [v for v in params.get_all(param) for v in v.split("|") if v]
        st.session_state[key] = [v for v in values if v in options[key]]
    st.session_state["f_dedupe"] = params.get("dedupe") == "1"
    try:
        start = date.fromisoformat(params["from"]) if "from" in params else None
        end = date.fromisoformat(params["to"]) if "to" in params else None
    except ValueError:
        start = end = None
    if start or end:
        st.session_state["f_dates"] = (start or options["min_date"], end or options["max_date"])
    st.session_state["_url_loaded"] = True


def _write_url(filters: Filters, default_span: tuple[date, date]) -> None:
    """Mirror the filters into the address bar (only non-default values), so the link reproduces the view."""
    wanted: dict[str, list[str]] = {}
    if lang() != "vi":
        wanted["lang"] = [lang()]
    for key, param in _LIST_PARAMS.items():
        if st.session_state.get(key):
            wanted[param] = list(st.session_state[key])
    if filters.dedupe:
        wanted["dedupe"] = ["1"]
    if filters.start and filters.start != default_span[0]:
        wanted["from"] = [filters.start.isoformat()]
    if filters.end and filters.end != default_span[1]:
        wanted["to"] = [filters.end.isoformat()]
    for key in _PAGE_PARAMS:  # page-level selections (an open article, a focused official) survive too
        if key in st.query_params:
            wanted[key] = st.query_params.get_all(key)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _clear() -> None:
    for key in list(_LIST_PARAMS) + ["f_dedupe", "f_dates"]:
        st.session_state.pop(key, None)
    st.query_params.clear()


def sidebar(store: Store) -> Filters:
    """Render the language switch and the shared filters; returns the filters (kept in the URL)."""
    offered = store.options()
    span = offered["span"] or (date(2016, 1, 1), date.today())
    options = {
        "f_conferences": offered["conferences"], "f_outlets": offered["outlets"],
        "f_officials": offered["officials"], "f_provinces": offered["provinces"],
        "min_date": span[0], "max_date": span[1],
    }
    names = offered["conference_labels"]
    _init_from_url(options)
    # When the data's span changes (an upload, a rebuild), an untouched date filter follows it.
    previous = st.session_state.get("_span")
    if previous != span:
        if st.session_state.get("f_dates") in (None, previous):
            st.session_state["f_dates"] = span
            st.session_state["f_dates_widget"] = span
        st.session_state["_span"] = span
    with st.sidebar:
        st.radio(t("language"), ["vi", "en"], key="lang", horizontal=True,
                 format_func=lambda code: "Tiếng Việt" if code == "vi" else "English")
        st.header(t("filters", lang()))
        chosen = st.session_state.get("f_dates_widget", st.session_state.get("f_dates", span))
        if isinstance(chosen, (tuple, list)) and len(chosen) == 2:  # keep a stored range inside the data's span
            chosen = (min(max(chosen[0], span[0]), span[1]), max(min(chosen[1], span[1]), span[0]))
        st.session_state["f_dates_widget"] = chosen
        picked = st.date_input(t("dates", lang()), min_value=span[0], max_value=span[1], key="f_dates_widget",
                               format="DD/MM/YYYY")
        st.multiselect(t("conferences", lang()), options["f_conferences"], key="f_conferences",
                       placeholder=t("choose", lang()),
                       format_func=lambda cid: names.get(cid, cid))
        st.multiselect(t("outlets", lang()), options["f_outlets"], key="f_outlets",
                       placeholder=t("choose", lang()))
        st.multiselect(t("officials", lang()), options["f_officials"], key="f_officials",
                       placeholder=t("choose", lang()))
        st.multiselect(t("provinces", lang()), options["f_provinces"], key="f_provinces",
                       placeholder=t("choose", lang()))
        st.toggle(t("dedupe", lang()), key="f_dedupe")
        st.button(t("reset", lang()), on_click=_clear, type="tertiary")
        st.caption(t("share_hint", lang()))
    start, end = (tuple(picked) + (None, None))[:2] if isinstance(picked, (tuple, list)) else (picked, None)
    st.session_state["f_dates"] = (start or span[0], end or span[1])
    filters = Filters(start=start, end=end, conferences=tuple(st.session_state["f_conferences"]),
                      outlets=tuple(st.session_state["f_outlets"]), officials=tuple(st.session_state["f_officials"]),
                      provinces=tuple(st.session_state["f_provinces"]), dedupe=bool(st.session_state["f_dedupe"]))
    _write_url(filters, span)
    return filters


def current_filters() -> Filters:
    """The sidebar's filters for this run."""
    return st.session_state.get("_filters") or Filters()


def page_param(key: str) -> str | None:
    """A page-level selection kept in the URL (e.g. the open article)."""
    return st.query_params.get(key)


def set_page_param(key: str, value: str | None) -> None:
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
