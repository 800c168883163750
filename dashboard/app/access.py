"""Who may see the shared dashboard, and who may add articles.

Three modes, picked from the configuration:
- **oidc**: `[auth]` in `.streamlit/secrets.toml` → Streamlit's OpenID Connect login (`st.login`). Editors are the
  e-mails or domains listed under `[access] editors`; everyone else who signs in is a read-only viewer (optionally
  restricted to `[access] allowed_domains`).
- **password**: a shared viewer password and an editor password (`[access] viewer_password` / `editor_password` in
  secrets, or the DASHBOARD_VIEWER_PASSWORD / DASHBOARD_EDITOR_PASSWORD environment variables), for teams without
  an identity provider. Passwords are compared in constant time; five wrong tries lock the session for a minute.
- **open**: neither configured, i.e. a local run on one's own machine: no sign-in, and the local user may edit.
"""
from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from dashboard.app.i18n import t

_MAX_TRIES = 5
_LOCK_SECONDS = 60


def _secrets_section(name: str) -> dict:
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets.toml at all: a local run
        return {}
    return dict(section) if section else {}


def _passwords() -> tuple[str | None, str | None]:
    access = _secrets_section("access")
    viewer = os.environ.get("DASHBOARD_VIEWER_PASSWORD") or access.get("viewer_password")
    editor = os.environ.get("DASHBOARD_EDITOR_PASSWORD") or access.get("editor_password")
    return viewer, editor


def mode() -> str:
    if _secrets_section("auth"):
        return "oidc"
    viewer, editor = _passwords()
    return "password" if viewer or editor else "open"


def _matches(given: str, expected: str | None) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _oidc_role() -> str | None:
    if not st.user.get("is_logged_in", False):
        return None
    access = _secrets_section("access")
    email = str(st.user.get("email") or "").lower()
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    allowed = [d.lower() for d in access.get("allowed_domains", [])]
    if allowed and domain not in allowed:
        return "denied"
    editors = [e.lower() for e in access.get("editors", [])]
    return "editor" if email in editors or f"@{domain}" in editors else "viewer"


def _password_form(lang: str) -> None:
    st.title(t("app_title", lang))
    locked_until = st.session_state.get("_locked_until", 0.0)
    if time.time() < locked_until:
        st.error(t("locked", lang))
        return
    with st.form("sign_in"):
        given = st.text_input(t("password", lang), type="password", max_chars=200)
        submitted = st.form_submit_button(t("sign_in", lang))
    if submitted:
        viewer, editor = _passwords()
        if _matches(given, editor):
            st.session_state["_role"] = "editor"
        elif _matches(given, viewer):
            st.session_state["_role"] = "viewer"
        else:
            tries = st.session_state.get("_tries", 0) + 1
            st.session_state["_tries"] = tries
            if tries >= _MAX_TRIES:
                st.session_state["_locked_until"] = time.time() + _LOCK_SECONDS
                st.session_state["_tries"] = 0
            st.error(t("wrong_password", lang))
            return
        st.session_state["_tries"] = 0
        st.rerun()


def require_access(lang: str) -> str:
    """The signed-in role ("editor" or "viewer"); stops the script with a sign-in screen until there is one."""
    current = mode()
    if current == "open":
        return "editor"
    if current == "oidc":
        role = _oidc_role()
        if role is None:
            st.title(t("app_title", lang))
            st.button(t("sign_in", lang), on_click=st.login, type="primary")
            st.stop()
        if role == "denied":
            st.error(t("not_allowed", lang))
            st.button(t("sign_out", lang), on_click=st.logout)
            st.stop()
        st.sidebar.button(t("sign_out", lang), on_click=st.logout, type="tertiary")
        return role
    role = st.session_state.get("_role")
    if role is None:
        _password_form(lang)
        st.stop()

    def _sign_out() -> None:
        st.session_state.pop("_role", None)

    st.sidebar.button(t("sign_out", lang), on_click=_sign_out, type="tertiary")
    return role
