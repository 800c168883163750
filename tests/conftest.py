import json
from pathlib import Path

import pytest

from dashboard import config

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not config.SEEDS_DIR.is_dir():
        pytest.skip(f"the seed articles are read from {config.SEEDS_DIR}, which is absent (../shared not beside the project)")
    return config.SEEDS_DIR


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The bundled sample corpus (data/raw) built once for the session."""
    from dashboard.pipeline.build import build

    out = tmp_path_factory.mktemp("processed")
    build(config.RAW_DIR, out, workers=1, progress=False)
    return out


def gold_files() -> list[Path]:
    return sorted(config.GOLD_DIR.glob("*.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
