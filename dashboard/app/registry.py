"""The one list of pages: `streamlit_app.py` routes through it and the tests run every page from it."""
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "app_pages"

# (file in app_pages/, title, icon, url path)
PAGES = [
    ("overview.py", "Tổng quan / Overview", ":material/dashboard:", "overview"),
]
