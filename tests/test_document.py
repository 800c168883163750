from datetime import date

import pytest

from dashboard.pipeline.document import is_boilerplate_marker, is_byline, segment_text

LEAD = ("(BGĐT) - Sáng 19/12/2023, Bộ Ngoại giao tổ chức Hội nghị Ngoại giao lần thứ 32 theo hình thức trực tiếp kết "
        "hợp trực tuyến tới các điểm cầu trong cả nước, với sự tham dự của nhiều đại biểu.")


@pytest.mark.parametrize("line", [
    "Lâm Anh",                                       # bare author name at the end
    "Trí Dũng- Quốc Chiến",                          # two authors
    "Thu Hằng (TTXVN)",
    "PV",
    "Tác giả: Theo Đài PT-TH và Báo Bình Phước",
    "Theo Báo điện tử Đảng Cộng sản",
    "Nguồn: Báo Quốc tế",
    "Bài và ảnh: Hoàng Nam",
])
def test_bylines(line):
    assert is_byline(line)


@pytest.mark.parametrize("line", [
    "Quang cảnh hội nghị",                            # caption
    "Theo đó, hội nghị thống nhất các nhiệm vụ trọng tâm.",
    "Tổng Bí thư Nguyễn Phú Trọng phát biểu chỉ đạo tại hội nghị",
    "Hội nghị Ngoại giao lần thứ 32",
])
def test_not_bylines(line):
    assert not is_byline(line)


@pytest.mark.parametrize("line", ["Tin cùng chuyên mục", "Xem nhiều nhất", "Có thể bạn quan tâm",
                                  "Tổng số điểm của bài viết là: 10 trong 2 đánh giá", "Chia sẻ bài viết", "Tags: ngoại giao"])
def test_boilerplate_markers(line):
    assert is_boilerplate_marker(line)


def test_menus_before_the_title_and_related_news_after_the_byline_are_not_body():
    page = "\n".join([
        "Trang chủ > Thời sự > Đối ngoại",
        "Tin nổi bật: Tổng Bí thư Tô Lâm tiếp Đại sứ các nước",  # ticker above the title
        "Khai mạc Hội nghị Ngoại giao lần thứ 32",
        "Thứ Ba, 19/12/2023 - 16:44",
        LEAD,
        "Các đại biểu dự hội nghị tại điểm cầu tỉnh Bắc Giang",
        "Minh Anh",
        "Tin liên quan",
        "Lào Cai đẩy mạnh đưa Nghị quyết vào cuộc sống",
    ])
    doc = segment_text(page)
    assert doc.title == "Khai mạc Hội nghị Ngoại giao lần thứ 32"
    assert doc.published == date(2023, 12, 19)
    assert doc.byline == "Minh Anh"
    assert doc.lead_abbreviation == "BGĐT"
    assert "Tô Lâm" not in doc.body_text and "Lào Cai" not in doc.body_text
    assert "điểm cầu tỉnh Bắc Giang" in doc.body_text   # the caption stays in the body


def test_file_that_starts_with_body_text_has_no_title_and_no_date():
    doc = segment_text(LEAD + "\nHội nghị diễn ra đến hết ngày 23/12/2023.\nLâm Anh")
    assert doc.title is None and doc.published is None
    assert doc.body_lines[0].startswith("(BGĐT)")


def test_image_id_noise_is_dropped():
    doc = segment_text("Hoạt động đối ngoại là điểm sáng của đất nước\n\n" + LEAD + "\n2222 15424319122023\nQuang cảnh")
    assert "15424319122023" not in doc.body_text


def test_inline_see_also_lines_are_dropped_but_the_body_goes_on():
    page = "\n".join(["Khai mạc Hội nghị Ngoại vụ lần thứ 20", "Thứ Hai, ngày 13/12/2021, 17:42", LEAD,
                      "Xem thêm: Phó Thủ tướng Phạm Bình Minh tiếp Đại sứ Nhật Bản",
                      "Tại điểm cầu tỉnh Quảng Ninh có lãnh đạo tỉnh dự.", "PV"])
    doc = segment_text(page)
    assert "Phạm Bình Minh" not in doc.body_text
    assert "Quảng Ninh" in doc.body_text


@pytest.mark.parametrize("header, title", [
    # all-caps headline: still the title (it has function words); an all-caps banner is not
    (["BÁO LẠNG SƠN ĐIỆN TỬ", "CHỦ TỊCH UBND TỈNH DỰ HỘI NGHỊ NGOẠI GIAO LẦN THỨ 31 TẠI ĐIỂM CẦU LẠNG SƠN",
      "Thứ Tư, 15/12/2021 - 18:00"], "CHỦ TỊCH UBND TỈNH DỰ HỘI NGHỊ NGOẠI GIAO LẦN THỨ 31 TẠI ĐIỂM CẦU LẠNG SƠN"),
    # a menu of section names without separators is not the title
    (["Thời sự Chính trị Kinh tế Xã hội Văn hóa Đất Tổ Thể thao", "Phú Thọ tham dự Hội nghị đối ngoại toàn quốc",
      "Cập nhật: 14-12-2021 | 16:32:05"], "Phú Thọ tham dự Hội nghị đối ngoại toàn quốc"),
])
def test_title_among_banners_and_menus(header, title):
    assert segment_text("\n".join(header + [LEAD])).title == title


def test_site_header_date_is_not_the_article_date():
    page = "\n".join(["Báo Phú Thọ điện tử | Thứ Năm, 16/12/2021", "Phú Thọ tham dự Hội nghị đối ngoại toàn quốc",
                      "Cập nhật: 14-12-2021 | 16:32:05", LEAD])
    assert segment_text(page).published == date(2021, 12, 14)
