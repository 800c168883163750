"""The app's access to the processed tables: one query store per build, and the first-start build from data/raw."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import streamlit as st

from dashboard import config
from dashboard.app.i18n import build_done, t
from dashboard.pipeline.schema import ALL_TABLES
from dashboard.store import Store


def processed_dir() -> Path:
    """Where the app reads tables; DASHBOARD_PROCESSED_DIR overrides it (tests, deployments)."""
    return Path(os.environ.get("DASHBOARD_PROCESSED_DIR", config.PROCESSED_DIR))


def raw_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_RAW_DIR", config.RAW_DIR))


def tables_present(directory: Path) -> bool:
    return all((directory / f"{name}.parquet").exists() for name in ALL_TABLES)


def build_stamp(directory: Path) -> float:
    marker = directory / "build.json"
    return marker.stat().st_mtime if marker.exists() else 0.0


@st.cache_resource(show_spinner=False, max_entries=1)
def _store(directory: str, stamp: float) -> Store:
    """One query store per build (`stamp`), shared read-only by every session. The article-level rows that only
    some filters need are loaded in a background thread, so the first page does not wait for them."""
    store = Store(Path(directory))
    threading.Thread(target=store.load_facts, name="load-facts", daemon=True).start()
    return store


def get_store() -> Store:
    directory = processed_dir()
    return _store(str(directory), build_stamp(directory))


def ensure_built(lang: str = "vi") -> bool:
    """Build the tables from data/raw with a progress indicator when they are missing; False when there is nothing."""
    directory = processed_dir()
    if tables_present(directory):
        return True
    source = raw_dir()
    if not source.is_dir() or not any(p.suffix.lower() in config.ARTICLE_SUFFIXES for p in source.rglob("*")):
        return False
    from dashboard.pipeline.build import build

    with st.status(t("building", lang), expanded=True) as status:
        summary = build(source, directory, workers=1, progress=False)
        status.update(label=build_done(summary, lang), state="complete", expanded=False)
    return True
