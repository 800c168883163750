"""Paths and constants. Every default path is built here from the project root; no I/O at import."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REFERENCE_DIR = DATA_DIR / "reference"
GOLD_DIR = DATA_DIR / "gold"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
SEEDS_DIR = SHARED_DIR / "corpus" / "seeds"
SEEDS_GOLD_DIR = SHARED_DIR / "corpus" / "gold"

# Files larger than this are rejected as oversized (press articles are a few hundred kB at most).
MAX_FILE_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
# Documentation that may sit beside the articles and is not an article.
IGNORED_NAMES = {"README.md", "README.txt", "README", "LICENSE", ".gitkeep"}

# Nghị quyết 202/2025/QH15: the 34-unit scheme applies to events from this date.
MERGER_DATE = "2025-07-01"
