"""Small pieces every page uses: labels in the current language, CSV export, empty states."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app.i18n import LABELS, t
from dashboard.app.state import lang


def labels() -> dict[str, str]:
    """All labels in the current language (charts take them as a plain dict)."""
    return {key: t(key, lang()) for key in LABELS}


def csv_button(data: pd.DataFrame, name: str) -> None:
    """Download the data behind a chart as CSV (UTF-8 with BOM so Excel shows Vietnamese correctly)."""
    st.download_button(t("download_csv", lang()), data.to_csv(index=True).encode("utf-8-sig"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"csv_{name}", icon=":material/download:")


def chart(fig, data: pd.DataFrame, name: str) -> None:
    """A Plotly chart (with its own PNG download in the toolbar) and its data as CSV."""
    st.plotly_chart(fig, width="stretch", key=f"chart_{name}",
                    config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}})
    csv_button(data, name)


def require_articles(count: int) -> bool:
    """Explain an empty view (`count` articles: the filters match nothing) instead of drawing empty charts."""
    if not count:
        st.info(t("no_match", lang()), icon=":material/filter_alt_off:")
        return False
    return True


_MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|<>$~:=\"'"


def md_escape(text: str) -> str:
    """Untrusted text made inert for st.markdown: every Markdown/HTML special character backslash-escaped, so a
    title carrying `<script>`, `[link](javascript:…)` or `$…$` shows as the characters it is.

    >>> md_escape("<img src=x onerror=alert(1)> [a](javascript:b)")
    '\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\> \\\\[a\\\\]\\\\(javascript\\\\:b\\\\)'
    """
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text)).replace("\n", "  \n")
