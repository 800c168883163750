"""Reference data as the pages show it: an official's role history and the tile-map layout."""
from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard import config, reference
from dashboard.pipeline.text import match_key


def roles_held(name: str) -> pd.DataFrame:
    """The reference role history of one official (empty for officials not in the reference data)."""
    spells = reference.official_roles().get(match_key(name), ())
    return pd.DataFrame([{"role": s.role, "start": s.start, "end": s.end} for s in spells],
                        columns=["role", "start", "end"])


def tiles(scheme: str) -> pd.DataFrame:
    """The tile-grid layout of one scheme ("63" or "34"); a copy, so callers may not change the cached table."""
    grid = _tile_table()
    return grid[grid["scheme"].astype(str) == scheme].reset_index(drop=True)


@cache
def _tile_table() -> pd.DataFrame:
    return pd.read_csv(config.REFERENCE_DIR / "province_tiles.csv")
