"""HTML pages -> the lines of the article, its headline and metadata.

ANNOTATION.md: <head>, <nav>, <aside>, <footer> and scripts are boilerplate; <figcaption> captions are body.
The article container (<article>, <main>, itemprop=articleBody, or the densest content block) is read with its
captions; trafilatura is the fallback for pages with none of these, with captions added back because it drops them.
Metadata comes from <meta>, <time datetime> and JSON-LD.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date

from lxml import html as lxml_html

from dashboard.pipeline.dates import parse_iso_date
from dashboard.pipeline.text import collapse_spaces

_DROP_TAGS = ("head", "script", "style", "noscript", "template", "nav", "aside", "footer", "iframe", "svg",
              "button", "select", "input", "textarea", "object", "embed", "canvas", "map")
_BOILERPLATE_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:related|relate|lien-?quan|tinlienquan|comment|comments|binh-?luan|share|sharing|social|sidebar|"
    r"side-bar|menu|navbar|breadcrumbs?|banner|ads?|advert|advertisement|quang-?cao|footer|most-?read|xem-?nhieu|"
    r"doc-?nhieu|tin-?khac|other-?news|tags?|keywords?|tu-?khoa|widget|popup|modal|cookie|login|search|rating|"
    r"print|toolbar|subscribe)(?:$|[\s_-])", re.I)
_CONTENT_CLASS_RE = re.compile(r"(?:detail|content|article|post|entry|story|news-?body|noi-?dung|chi-?tiet|"
                               r"main-?text|body-?text|text-?body)", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "figure", "figcaption", "blockquote", "table", "tr", "td", "th", "header", "br", "hr", "dd", "dt",
               "time", "pre", "address", "caption"}
_TITLE_CLASS_RE = re.compile(r"(?:title|tieu-?de|headline|tit\b)", re.I)
_SAPO_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:sapo|lead|chapeau|summary|description|desc|tom-?tat)(?:$|[\s_-])", re.I)
_AUTHOR_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|tac-?gia|tacgia|nguoi-?viet|but-?danh)(?:$|[\s_-])", re.I)
BYLINE_MARK = "\u2063BYLINE\u2063"
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass
class HtmlArticle:
    lines: list[str]
    title: str | None
    title_index: int | None
    published: date | None
    outlet: str | None
    author: str | None
    byline_index: int | None = None
    time_published: date | None = None  # a <time datetime> inside the article: used after the visible date line


def _meta(tree, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and found[0].strip():
                return found[0].strip()
    return None


def _json_ld(tree) -> dict:
    merged: dict = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (ValueError, TypeError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and str(item.get("@type", "")).endswith(("Article", "NewsArticle", "BlogPosting")):
                for key in ("datePublished", "headline", "author", "publisher"):
                    merged.setdefault(key, item.get(key))
    return merged


def _person_name(value) -> str | None:
    if isinstance(value, dict):
        return value.get("name")
    if isinstance(value, list) and value:
        return _person_name(value[0])
    return value if isinstance(value, str) else None


def _text_length(element) -> int:
    return len(collapse_spaces(element.text_content()))


def _headline(tree):
    """The headline element: the first <h1>, else the first title-classed block (old portals style it by class)."""
    h1s = tree.xpath("//h1")
    if h1s:
        return h1s[0]
    for el in tree.iter("div", "td", "span", "p", "h2", "h3", "strong", "b"):
        marker = (el.get("class") or "") + " " + (el.get("id") or "")
        if _TITLE_CLASS_RE.search(marker) and 15 <= _text_length(el) <= 320:
            return el
    return None


def _content_blocks(tree) -> list:
    """Leaf blocks that read as article text: long, and not mostly link text."""
    blocks = []
    for el in tree.iter("p", "td", "div", "section", "li"):
        if any(isinstance(c.tag, str) and c.tag in ("p", "div", "td", "table", "section", "ul", "ol") for c in el):
            continue
        length = _text_length(el)
        links = sum(len(a.text_content()) for a in el.iter("a"))
        if length >= 100 and links < length * 0.5:
            blocks.append(el)
    return blocks


def _smallest_ancestor_with_content(headline, blocks):
    """The smallest ancestor of the headline that holds most of the page's article text."""
    total = sum(_text_length(b) for b in blocks)
    if not total:
        return None
    for ancestor in [headline, *headline.iterancestors()]:
        if ancestor.tag in ("html", "body"):
            return None
        inside = set(ancestor.iter())
        if sum(_text_length(b) for b in blocks if b in inside) >= 0.7 * total:
            return ancestor
    return None


def _container(tree, headline):
    articles = tree.xpath("//article")
    if articles:
        return max(articles, key=_text_length)
    for xpath in ("//main", '//*[@itemprop="articleBody"]', '//*[@role="main"]'):
        found = tree.xpath(xpath)
        if found:
            return max(found, key=_text_length)
    if headline is not None:
        ancestor = _smallest_ancestor_with_content(headline, _content_blocks(tree))
        if ancestor is not None:
            return ancestor
    candidates = [el for el in tree.iter("div", "section", "td")
                  if _CONTENT_CLASS_RE.search((el.get("class") or "") + " " + (el.get("id") or ""))]
    candidates = [el for el in candidates if len(el.xpath(".//p")) >= 2 or _text_length(el) > 400]
    if candidates:
        return max(candidates, key=_text_length)
    return None


def _sapo_outside(tree, container) -> str | None:
    """The lead paragraph when a page keeps it outside the article-body element (itemprop=description, .sapo)."""
    inside = set(container.iter())  # the elements themselves: lxml proxies are recreated, so id() is not stable
    for el in tree.iter():
        if not isinstance(el.tag, str) or el in inside or el.tag in ("meta", "html", "body"):
            continue
        marker = (el.get("class") or "") + " " + (el.get("itemprop") or "")
        if _SAPO_CLASS_RE.search(marker):
            text = collapse_spaces(el.text_content())
            if len(text) >= 40:
                return text
    return None


def _mark_bylines(tree) -> None:
    """Author elements end the article: mark them so the text segmentation knows where the body stops."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        marker = (el.get("class") or "") + " " + (el.get("id") or "") + " " + (el.get("itemprop") or "") + " " + \
            (el.get("rel") or "")
        if _AUTHOR_CLASS_RE.search(marker) and _text_length(el) <= 120:
            el.text = BYLINE_MARK + (el.text or "")


def _flatten_data_tables(element) -> None:
    """A data table (with <th> headers) becomes one line per row, each cell after its column header
    ("Điểm cầu Bình Phước; Chủ trì Bí thư Tỉnh ủy Nguyễn Mạnh Cường"), so the row reads as a sentence.
    Layout tables (no <th>) are left alone."""
    for table in list(element.iter("table")):
        headers = [collapse_spaces(th.text_content()) for th in table.iter("th")]
        if not headers or table.getparent() is None:
            continue
        rows = []
        for tr in table.iter("tr"):
            cells = [collapse_spaces(td.text_content()) for td in tr if isinstance(td.tag, str) and td.tag == "td"]
            if cells:
                rows.append("; ".join(f"{h} {c}".strip() if h else c for h, c in zip(headers + [""] * len(cells), cells)
                                      if c) + ".")
        replacement = lxml_html.Element("div")
        for row in rows:
            paragraph = lxml_html.Element("p")
            paragraph.text = row
            replacement.append(paragraph)
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)


def _lines_of(element) -> list[str]:
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    return [collapse_spaces(line) for line in element.text_content().split("\n")]


def _drop_boilerplate(tree) -> None:
    for el in list(tree.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for form in list(tree.iter("form")):
        # ASP.NET portals wrap the whole page in one <form>: only small forms (comments, search) are boilerplate.
        if form.getparent() is not None and not form.xpath(".//h1") and _text_length(form) < 1500:
            form.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el.tag in ("html", "body", "article", "main"):
            continue
        marker = (el.get("class") or "") + " " + (el.get("id") or "")
        if _BOILERPLATE_CLASS_RE.search(marker) and not el.xpath(".//h1") and not _CONTENT_CLASS_RE.search(marker):
            el.drop_tree()
    for header in list(tree.iter("header")):
        if header.getparent() is not None and not header.xpath(".//h1"):
            header.drop_tree()


def extract_html(page: str) -> HtmlArticle:
    """Headline, metadata and article lines of an HTML page.

    >>> art = extract_html('<html><head><meta property="article:published_time" content="2023-12-19T16:44:00+07:00">'
    ...   '</head><body><nav>Tô Lâm</nav><article><h1>Khai mạc Hội nghị Ngoại giao lần thứ 32</h1><p>Sáng 19/12 …</p>'
    ...   '<figure><figcaption>Tổng Bí thư Nguyễn Phú Trọng phát biểu.</figcaption></figure></article></body></html>')
    >>> art.title, str(art.published), [x for x in art.lines if x]
    ('Khai mạc Hội nghị Ngoại giao lần thứ 32', '2023-12-19', ['Khai mạc Hội nghị Ngoại giao lần thứ 32', 'Sáng 19/12 …', 'Tổng Bí thư Nguyễn Phú Trọng phát biểu.'])
    """
    page = _XML_DECL_RE.sub("", page)
    tree = lxml_html.fromstring(page)
    ld = _json_ld(tree)
    published = parse_iso_date(_meta(tree, "article:published_time", "og:published_time", "datePublished", "pubdate",
                                     "publishdate", "date", "dc.date", "DC.date.issued")
                               or (ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None))
    og_title = _meta(tree, "og:title")
    outlet = _meta(tree, "og:site_name") or _person_name(ld.get("publisher"))
    author = _meta(tree, "author", "article:author") or _person_name(ld.get("author"))

    _drop_boilerplate(tree)
    _flatten_data_tables(tree)
    _mark_bylines(tree)
    title_el = _headline(tree)
    container = _container(tree, title_el)
    if container is not None:
        inside = container.xpath(".//h1")
        if inside:
            title_el = inside[0]
    title = collapse_spaces(title_el.text_content()).replace(BYLINE_MARK, "") if title_el is not None else None
    if not title and og_title:
        title = collapse_spaces(og_title)

    if container is not None:
        sapo = _sapo_outside(tree, container)
        lines = _lines_of(container)
        if sapo:
            lines = [sapo] + lines
    else:
        lines = _trafilatura_lines(page) or _lines_of(tree.find("body") if tree.find("body") is not None else tree)
    time_published = None
    for value in (container if container is not None else tree).xpath(".//time/@datetime"):
        time_published = parse_iso_date(value)
        if time_published:
            break
    byline_index = next((i for i, line in enumerate(lines) if BYLINE_MARK in line), None)
    lines = [line.replace(BYLINE_MARK, "").strip() for line in lines]
    title_index = None
    if title:
        title_index = next((i for i, line in enumerate(lines) if line == title), None)
        if title_index is None:
            lines = [title] + lines
            title_index = 0
            byline_index = byline_index + 1 if byline_index is not None else None
    return HtmlArticle(lines, title, title_index, published, outlet, author, byline_index, time_published)


def _trafilatura_lines(page: str) -> list[str]:
    """Main text by trafilatura for pages without an article container, with <figcaption> captions added back."""
    try:
        import trafilatura
    except ImportError:
        return []
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its per-page warnings are not the user's business
    text = trafilatura.extract(page, include_comments=False, include_tables=True, favor_recall=True)
    if not text:
        return []
    lines = text.split("\n")
    tree = lxml_html.fromstring(page)
    for caption in tree.xpath("//figcaption"):
        caption_text = collapse_spaces(caption.text_content())
        if caption_text and caption_text not in lines:
            lines.append(caption_text)
    return lines
