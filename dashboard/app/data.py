"""Loading the processed tables for the app: cached once per process, and built from data/raw on first start."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.app.filters import article_dates
from dashboard.pipeline.schema import TABLES


def processed_dir() -> Path:
    """Where the app reads tables; DASHBOARD_PROCESSED_DIR overrides it (tests, deployments)."""
    return Path(os.environ.get("DASHBOARD_PROCESSED_DIR", config.PROCESSED_DIR))


def raw_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_RAW_DIR", config.RAW_DIR))


def tables_present(directory: Path) -> bool:
    return all((directory / f"{name}.parquet").exists() for name in TABLES)


def build_stamp(directory: Path) -> float:
    marker = directory / "build.json"
    return marker.stat().st_mtime if marker.exists() else 0.0


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(directory: str, stamp: float) -> dict[str, pd.DataFrame]:
    """All processed tables, read once per build (`stamp`) and shared read-only by every session."""
    tables = {name: pd.read_parquet(Path(directory) / f"{name}.parquet") for name in TABLES}
    tables["articles"] = tables["articles"].assign(date=article_dates(tables["articles"], tables["conferences"]))
    return tables


def get_tables() -> dict[str, pd.DataFrame]:
    directory = processed_dir()
    return _load(str(directory), build_stamp(directory))


def ensure_built(building_label: str) -> bool:
    """Build the tables from data/raw with a progress indicator when they are missing; False when there is nothing."""
    directory = processed_dir()
    if tables_present(directory):
        return True
    source = raw_dir()
    if not source.is_dir() or not any(p.suffix.lower() in config.ARTICLE_SUFFIXES for p in source.rglob("*")):
        return False
    from dashboard.pipeline.build import build

    with st.status(building_label, expanded=True) as status:
        summary = build(source, directory, workers=1, progress=False)
        status.update(label=summary.line(), state="complete", expanded=False)
    return True
