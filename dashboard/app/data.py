"""Loading the processed tables for the app: cached, and built from data/raw on first start when missing."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import config
from dashboard.pipeline.schema import TABLES


def tables_present(processed_dir: Path) -> bool:
    return all((processed_dir / f"{name}.parquet").exists() for name in TABLES)


@st.cache_data(show_spinner=False)
def load_tables(processed_dir: str, stamp: float) -> dict[str, pd.DataFrame]:
    """All processed tables; `stamp` (the build time) makes a rebuild invalidate the cache."""
    return {name: pd.read_parquet(Path(processed_dir) / f"{name}.parquet") for name in TABLES}


def build_stamp(processed_dir: Path) -> float:
    marker = processed_dir / "build.json"
    return marker.stat().st_mtime if marker.exists() else 0.0


def ensure_built(raw_dir: Path = config.RAW_DIR, processed_dir: Path = config.PROCESSED_DIR) -> bool:
    """Build the tables from `raw_dir` with a progress indicator if they are missing; False when nothing to build."""
    if tables_present(processed_dir):
        return True
    if not raw_dir.is_dir() or not any(raw_dir.iterdir()):
        return False
    from dashboard.pipeline.build import build

    with st.status("Đang xây dựng dữ liệu từ data/raw lần đầu… / Building the tables from data/raw…", expanded=True) as status:
        summary = build(raw_dir, processed_dir, workers=1, progress=False)
        status.update(label=summary.line(), state="complete")
    return True
