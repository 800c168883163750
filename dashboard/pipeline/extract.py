"""One article file (bytes) -> the rows it contributes to every processed table. Pure: no file I/O here."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from datetime import date

from dashboard import config, reference
from dashboard.pipeline.conferences import Conference, identify_conference, slug, province_scheme_date
from dashboard.pipeline.decode import decode_bytes
from dashboard.pipeline.document import segment_lines
from dashboard.pipeline.duplicates import signature
from dashboard.pipeline.html import extract_html
from dashboard.pipeline.keywords import extract_keywords
from dashboard.pipeline.officials import extract_officials, photo_credit_spans
from dashboard.pipeline.provinces import extract_provinces, find_provinces, to_34
from dashboard.pipeline.text import match_key

_MERGER = date.fromisoformat(config.MERGER_DATE)


@dataclass
class ArticleRows:
    article: dict
    conference: Conference | None
    mentions: list[dict] = field(default_factory=list)
    foreign: list[dict] = field(default_factory=list)
    provinces: list[dict] = field(default_factory=list)
    keywords: list[dict] = field(default_factory=list)
    signature: list[int] = field(default_factory=list)  # MinHash of the body, for near-duplicate linking


def article_id_for(source: str) -> str:
    """Stable id from the file's path relative to the input folder."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


@cache
def _outlet_aliases() -> dict[str, str]:
    """Every outlet name, abbreviation and domain (as a match key) -> the outlet's name."""
    aliases = {}
    for row in reference.outlets():
        for alias in [row["outlet"]] + [a for a in row.get("aliases", "").split("|") if a]:
            aliases.setdefault(match_key(alias), row["outlet"])
    return aliases


def _outlet(lead: str | None, site_name: str | None, byline: str | None) -> str | None:
    aliases = _outlet_aliases()
    if lead and match_key(lead) in aliases:
        return aliases[match_key(lead)]
    if site_name:
        return site_name
    if byline:
        key = match_key(byline.split(":", 1)[-1].strip())
        key = key[5:] if key.startswith("theo ") else key
        if key in aliases:
            return aliases[key]
        for alias, outlet in aliases.items():
            if len(alias) > 6 and key.startswith(alias):
                return outlet
    return None


def _organiser(body: str, participating: set[str]) -> str | None:
    """The province a provincial conference belongs to: the most mentioned of the participating provinces."""
    counts = Counter(m.province for m in find_provinces(body) if m.province in participating)
    if not counts:
        return None
    province = counts.most_common(1)[0][0]
    kind = reference.province_by_name()[match_key(province)].kind
    return ("thành phố " if kind == "thanh_pho" and not province.startswith("Thành phố") else
            "" if province.startswith("Thành phố") else "tỉnh ") + province


def _with_organiser(conference: Conference | None, organiser: str | None) -> Conference | None:
    """Name a new provincial conference after its organiser ("… năm 2023 của tỉnh Quảng Trị")."""
    if conference is None or conference.in_catalog or not organiser or conference.series != "tong_ket_doi_ngoai_dia_phuong":
        return conference
    name = f"{conference.name} của {organiser}"
    year = conference.start.year if conference.start else ""
    return replace(conference, name=name, conference_id=f"{slug(name)}-{year}".strip("-"))


def extract_article(data: bytes, source: str, kind: str) -> ArticleRows:
    """Decode, segment and extract one article. Raises `RejectedFile` for a file that cannot be read."""
    decoded = decode_bytes(data)
    site_name = author = None
    if kind == "html":
        page = extract_html(decoded.text)
        doc = segment_lines(page.lines, title=page.title, title_index=page.title_index,
                            byline_index=page.byline_index)
        published = page.published or doc.published or page.time_published
        site_name, author = page.outlet, page.author
    else:
        doc = segment_lines(decoded.text.split("\n"))
        published = doc.published
    body = doc.body_text
    conference, dates = identify_conference(doc.title, doc.body_lines, published)
    when = published or (conference.start if conference else None) or (min(dates) if dates else None)
    mentions, foreign = extract_officials(body, when)
    participation = extract_provinces(body, [m.role for m in mentions if m.role],
                                      conference.venue if conference and conference.in_catalog else None)
    conference = _with_organiser(conference, _organiser(body, {p for p, part in participation.items() if part}))
    scheme_date = province_scheme_date(conference, published, dates)
    new_scheme = bool(scheme_date and scheme_date >= _MERGER)
    article_id = article_id_for(source)
    province_mentions = find_provinces(body)
    province_counts = Counter(m.province for m in province_mentions)
    masked = [(m.start, m.end) for m in mentions] + [(f.start, f.end) for f in foreign] + \
        [(p.start, p.end) for p in province_mentions] + photo_credit_spans(body)
    keywords = extract_keywords(body, masked)
    article = {
        "article_id": article_id,
        "source": source,
        "format": kind,
        "encoding": decoded.encoding,
        "title": doc.title,
        "published": published,
        "outlet": _outlet(doc.lead_abbreviation, site_name, doc.byline),
        "byline": doc.byline or author,
        "conference_id": conference.conference_id if conference else None,
        "event_dates": sorted(set(dates)),
        "body": body,
        "n_chars": len(body),
        "content_hash": hashlib.sha1(data).hexdigest(),
        "province_scheme": "34" if new_scheme else "63",
    }
    return ArticleRows(
        article=article,
        conference=conference,
        mentions=[{"article_id": article_id, "name": m.name, "role": m.role, "position": m.start, "end": m.end,
                   "in_reference": m.source == "reference"} for m in mentions],
        foreign=[{"article_id": article_id, "name": f.name, "country": f.country, "position": f.start} for f in foreign],
        provinces=[{"article_id": article_id, "province": p, "province_34": to_34(p), "participating": part,
                    "mentions": province_counts[p],
                    "positions": [m.start for m in province_mentions if m.province == p],
                    "ends": [m.end for m in province_mentions if m.province == p]}
                   for p, part in sorted(participation.items())],
        keywords=[{"article_id": article_id, "term": term, "count": n} for term, n in sorted(keywords.items())],
        signature=signature(body),
    )
