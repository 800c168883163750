"""Thêm bài viết / Add articles (editors only): upload, validate, store under generated names, rebuild incrementally."""
import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.app.components import labels
from dashboard.app.data import get_store, processed_dir, raw_dir
from dashboard.app.i18n import build_done
from dashboard.app.state import lang
from dashboard.pipeline.build import build
from dashboard.uploads import accept_upload, rejected_uploads

L = labels()
st.title(L["page_upload"])
if st.session_state.get("_role") == "viewer":  # the page is not routed for viewers; this guards a direct call
    st.stop()
st.caption(L["upload_help"])
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader(L["upload_files"], type=["txt", "html", "htm", "zip"], accept_multiple_files=True)
    submitted = st.form_submit_button(L["add_to_corpus"], type="primary")

if submitted and files:
    known = get_store().content_hashes()
    outcomes = []
    with st.status(L["building"], expanded=False) as status:
        for upload in files:
            outcomes.extend(accept_upload(upload.name, upload.getvalue(), raw_dir(), config.MAX_FILE_BYTES,
                                          known_hashes=known))
        stored = sum(o.status == "stored" for o in outcomes)
        if stored:
            summary = build(raw_dir(), processed_dir(), workers=1, progress=False)
            status.update(label=build_done(summary, lang()), state="complete")
        else:
            status.update(label=L["upload_done"].format(n=0), state="complete")
    st.session_state["_upload_outcomes"] = [o.__dict__ for o in outcomes]

outcomes = st.session_state.get("_upload_outcomes")
if outcomes:
    table = pd.DataFrame(outcomes)
    table["status"] = table["status"].map(lambda s: L[f"status_{s}"])
    stored = sum(o["status"] == "stored" for o in outcomes)
    st.success(L["upload_done"].format(n=stored))
    # File names are untrusted: a dataframe shows them as plain text.
    st.dataframe(table[["name", "status", "stored_as", "reason"]], hide_index=True, width="stretch", column_config={
        "name": L["upload_file"], "status": L["upload_status"], "stored_as": L["upload_stored_as"],
        "reason": L["upload_reason"]})

log = rejected_uploads(raw_dir().parent / "quarantine")
if log:
    with st.expander(f"{L['rejected_uploads']} ({len(log)})"):
        st.dataframe(pd.DataFrame(log), hide_index=True, width="stretch")
