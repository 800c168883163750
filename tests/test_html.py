from collections import Counter
from datetime import date

import pytest

from dashboard.pipeline.extract import extract_article

PAGE = """<!DOCTYPE html><html><head><title>Khai mạc HNNG 32 - Báo Mẫu</title>
<meta property="og:site_name" content="Báo Mẫu">
<meta property="article:published_time" content="2023-12-19T16:44:00+07:00">
<script>var trending = ["Tổng Bí thư Tô Lâm", "Lào Cai"];</script></head>
<body><header><nav><a>Trang chủ</a><a>Tin Quảng Ninh</a><a>Phó Thủ tướng Lê Minh Khái</a></nav></header>
<div class="breadcrumb">Thời sự &gt; Đối ngoại</div>
<article><h1>Khai mạc Hội nghị Ngoại giao lần thứ 32</h1>
<p class="sapo">Sáng 19/12, Hội nghị Ngoại giao lần thứ 32 khai mạc tại Hà Nội.</p>
<figure><img src="a.jpg"><figcaption>Tổng Bí thư Nguyễn Phú Trọng ph&aacute;t biểu. Ảnh: Tr&iacute; Dũng/TTXVN</figcaption></figure>
<p>Tổng Bí thư Nguyễn Phú Trọng dự và phát biểu chỉ đạo. Tại điểm cầu tỉnh Bắc Giang có lãnh đạo tỉnh.</p>
<p class="author">Minh Châu</p>
<div class="related"><h3>Tin liên quan</h3><a>Chủ tịch nước Lương Cường thăm Khánh Hòa</a></div>
</article>
<aside><h3>Xem nhiều</h3><a>Bộ trưởng Lương Tam Quang làm việc tại Đà Nẵng</a></aside>
<footer>Báo Mẫu, 12 Lê Lợi, TP. Huế. © 2023</footer></body></html>"""


def test_html_article_body_metadata_and_traps():
    rows = extract_article(PAGE.encode("utf-8"), "page.html", "html")
    article = rows.article
    assert article["title"] == "Khai mạc Hội nghị Ngoại giao lần thứ 32"
    assert article["published"] == date(2023, 12, 19)
    assert article["conference_id"] == "ngoai-giao-32"
    # caption is body: two mentions (caption + paragraph); nav, aside, related, footer and script are not
    assert Counter(m["name"] for m in rows.mentions) == {"Nguyễn Phú Trọng": 2}
    provinces = {p["province"]: p["participating"] for p in rows.provinces}
    assert provinces == {"Hà Nội": False, "Bắc Giang": True}
    assert "Minh Châu" not in article["body"]


DIV_SOUP = """<html><head><meta charset="utf-8"></head><body>
<table><tr><td class="menu">Giới thiệu | Tin tức | Phó Chủ tịch UBND tỉnh Nguyễn Văn Sơn</td></tr>
<tr><td><div class="detail-content">
<div class="title-news">Hội nghị tổng kết công tác đối ngoại năm 2024 của tỉnh Quảng Ninh</div>
<div class="date">Cập nhật: 27/12/2024 | 09:12:00</div>
<p>Sáng 27/12, UBND tỉnh Quảng Ninh tổ chức Hội nghị tổng kết công tác đối ngoại năm 2024, triển khai nhiệm vụ năm 2025. Phó Chủ tịch UBND tỉnh Nghiêm Xuân Cường chủ trì hội nghị.</p>
<p class="caption">Đồng chí Nghiêm Xuân Cường phát biểu tại hội nghị.</p>
<p>Năm 2024, tỉnh đã đón nhiều đoàn khách quốc tế, thúc đẩy quan hệ với các địa phương của Trung Quốc.</p>
<p><strong>Hoàng Quý</strong></p></div></td></tr></table></body></html>"""


def test_page_without_article_element():
    rows = extract_article(DIV_SOUP.encode("utf-8"), "portal.html", "html")
    assert rows.article["published"] == date(2024, 12, 27)
    assert Counter(m["name"] for m in rows.mentions) == {"Nghiêm Xuân Cường": 2}
    assert {p["province"]: p["participating"] for p in rows.provinces} == {"Quảng Ninh": True}
    assert rows.conference is not None and rows.conference.start == date(2024, 12, 27)
    assert not rows.conference.in_catalog


@pytest.mark.parametrize("meta, expected", [
    ('<meta property="article:published_time" content="2021-12-14T08:00:00+07:00">', date(2021, 12, 14)),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-12-15T10:00:00Z"}</script>',
     date(2021, 12, 15)),
    ('', None),   # no metadata and no date line: published is null
])
def test_published_from_metadata(meta, expected):
    page = (f"<html><head>{meta}</head><body><article><h1>Hội nghị Đối ngoại toàn quốc</h1><p>Sáng 14/12, Tổng Bí thư "
            f"Nguyễn Phú Trọng chủ trì hội nghị tại Hà Nội với sự tham dự của nhiều đại biểu.</p></article></body></html>")
    assert extract_article(page.encode(), "p.html", "html").article["published"] == expected


def _page(body: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


LEAD = ("<p>Sáng 19/12/2023, Bộ Ngoại giao khai mạc Hội nghị Ngoại giao lần thứ 32 tại Hà Nội, kết nối trực tuyến tới "
        "các điểm cầu địa phương với sự tham dự của nhiều đại biểu trong nước và quốc tế.</p>")


def test_author_meta_above_the_text_does_not_end_the_body():
    # WordPress prints "bởi <user>" under the headline; the article text follows it.
    page = _page('<div class="entry-header"><h1>Hội nghị Ngoại giao lần thứ 32</h1><span class="author">bởi thuhuong</span>'
                 '</div><div class="entry-content">' + LEAD + '<p>Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn phát biểu.</p>'
                 '<p class="author">Phạm Thu Hương</p></div>')
    rows = extract_article(page, "wp.html", "html")
    assert Counter(m["name"] for m in rows.mentions) == {"Bùi Thanh Sơn": 1}


def test_marked_author_wins_over_a_tweet_attribution():
    page = _page("<article><h1>Hội nghị Ngoại giao lần thứ 32</h1>" + LEAD +
                 '<blockquote class="twitter-tweet"><p>The 32nd Diplomatic Conference opens in Hanoi.</p>'
                 "— Vietnam MOFA (@MOFAVietNam) December 19, 2023</blockquote>"
                 "<p>Thủ tướng Chính phủ Phạm Minh Chính dự phiên toàn thể.</p>"
                 '<p class="author">Bảo Ngọc</p></article>')
    rows = extract_article(page, "tweet.html", "html")
    assert Counter(m["name"] for m in rows.mentions) == {"Phạm Minh Chính": 1}


def test_table_of_bridge_points_reads_row_by_row():
    page = _page("<article><h1>Hội nghị Ngoại giao lần thứ 32</h1>" + LEAD +
                 "<table><thead><tr><th>Điểm cầu</th><th>Chủ trì</th></tr></thead><tbody>"
                 "<tr><td>Bình Phước</td><td>Bí thư Tỉnh ủy Nguyễn Mạnh Cường</td></tr>"
                 "<tr><td>Lạng Sơn</td><td>Đại diện lãnh đạo UBND tỉnh</td></tr></tbody></table></article>")
    rows = extract_article(page, "table.html", "html")
    assert {p["province"]: p["participating"] for p in rows.provinces} == {
        "Bình Phước": True, "Hà Nội": False, "Lạng Sơn": True}
    assert [(m["name"], m["role"]) for m in rows.mentions] == [("Nguyễn Mạnh Cường", "Bí thư Tỉnh ủy Bình Phước")]


def test_sapo_outside_the_article_body_is_body():
    page = _page('<h1 itemprop="headline">Khai mạc Hội nghị Ngoại giao lần thứ 30</h1>'
                 '<div class="article-sapo" itemprop="description">Sáng 13/8, tại Hà Nội, Tổng Bí thư Nguyễn Phú Trọng '
                 "dự phiên khai mạc Hội nghị Ngoại giao lần thứ 30.</div>"
                 '<div itemprop="articleBody">' + LEAD.replace("19/12/2023", "13/8/2018").replace("32", "30") +
                 "<p>Tổng Bí thư Nguyễn Phú Trọng phát biểu chỉ đạo.</p></div>")
    rows = extract_article(page, "sapo.html", "html")
    assert Counter(m["name"] for m in rows.mentions) == {"Nguyễn Phú Trọng": 2}


def test_time_of_a_related_card_is_not_the_article_date():
    page = _page("<article><h1>Bế mạc Hội nghị Ngoại giao lần thứ 30</h1><p>17-08-2018 18:25 GMT+7</p>" +
                 LEAD.replace("19/12/2023", "17/8/2018").replace("32", "30") + "</article>"
                 '<article class="card"><time datetime="2016-08-22T16:40:00+07:00">22/8/2016</time>'
                 "<a>Khai mạc Hội nghị Ngoại giao lần thứ 29</a></article>")
    assert extract_article(page, "cards.html", "html").article["published"] == date(2018, 8, 17)


def test_page_without_container_or_headline_uses_trafilatura_and_keeps_captions():
    paragraphs = "".join(
        f"<p>Đoạn {i}: Sáng 19/12/2023, Bộ Ngoại giao khai mạc Hội nghị Ngoại giao lần thứ 32 tại Hà Nội, các đại biểu "
        f"thảo luận về ngoại giao kinh tế, đối ngoại đa phương và công tác người Việt Nam ở nước ngoài.</p>" for i in range(4))
    page = _page("<div><div>" + paragraphs + "<figure><img src='a.jpg'><figcaption>Tổng Bí thư Nguyễn Phú Trọng phát "
                 "biểu chỉ đạo.</figcaption></figure></div><div><a>Trang chủ</a></div></div>")
    from dashboard.pipeline.html import extract_html

    article = extract_html(page.decode("utf-8"))
    assert any("Đoạn 3" in line for line in article.lines)
    assert "Tổng Bí thư Nguyễn Phú Trọng phát biểu chỉ đạo." in article.lines   # trafilatura drops it; we add it back
