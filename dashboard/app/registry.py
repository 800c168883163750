"""The one list of pages: `streamlit_app.py` routes through it and the tests run every page from it."""
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "app_pages"

# (file in app_pages/, label key in i18n.LABELS, icon, url path); EDITOR_PAGES are shown to editors only.
PAGES = [
    ("overview.py", "page_overview", ":material/dashboard:", "overview"),
    ("timeline.py", "page_timeline", ":material/timeline:", "timeline"),
    ("officials.py", "page_officials", ":material/groups:", "officials"),
    ("provinces.py", "page_provinces", ":material/map:", "provinces"),
    ("keywords.py", "page_keywords", ":material/key:", "keywords"),
    ("articles.py", "page_articles", ":material/article:", "articles"),
]

EDITOR_PAGES = [
    ("upload.py", "page_upload", ":material/upload_file:", "upload"),
]
