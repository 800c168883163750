from collections import Counter
from datetime import date

import pytest

from dashboard.pipeline.officials import extract_officials


def officials(text: str, when: date | None = date(2023, 12, 19)) -> dict[str, tuple[str | None, int]]:
    mentions, _ = extract_officials(text, when)
    counts = Counter(m.name for m in mentions)
    roles = {m.name: m.role for m in mentions}
    return {name: (roles[name], n) for name, n in counts.items()}


@pytest.mark.parametrize("text, expected", [
    # reference official, bare title coreference does not count
    ("Tổng Bí thư Nguyễn Phú Trọng dự hội nghị. Tổng Bí thư nhấn mạnh vai trò của ngành.",
     {"Nguyễn Phú Trọng": ("Tổng Bí thư", 1)}),
    # official not in the reference data, found by the title before the name, province from the sentence
    ("Dự tại điểm cầu tỉnh Bình Phước có Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Nguyễn Mạnh Cường.",
     {"Nguyễn Mạnh Cường": ("Bí thư Tỉnh ủy Bình Phước", 1)}),
    # name first, role after; "tỉnh ta" names no province
    ("Đồng chí Nguyễn Long Biên, UVTV Tỉnh ủy, Phó Chủ tịch UBND tỉnh và các đại biểu dự tại điểm cầu tỉnh ta.",
     {"Nguyễn Long Biên": ("Phó Chủ tịch UBND tỉnh", 1)}),
    # name-first list
    ("Tham dự có các đồng chí: Hoàng Văn Thụ, Bí thư Tỉnh ủy; Trần Văn Lâm, Chủ tịch UBND tỉnh.",
     {"Hoàng Văn Thụ": ("Bí thư Tỉnh ủy", 1), "Trần Văn Lâm": ("Chủ tịch UBND tỉnh", 1)}),
    # long compound title; Party-rank prefix dropped
    ("Ủy viên Bộ Chính trị, Thường trực Ban Bí thư, Trưởng Ban Tổ chức Trung ương Trương Thị Mai phát biểu.",
     {"Trương Thị Mai": ("Thường trực Ban Bí thư, Trưởng Ban Tổ chức Trung ương", 1)}),
    # a title chain stops at another person: each gets their own role
    ("Chủ tịch nước Võ Văn Thưởng, Thủ tướng Chính phủ Phạm Minh Chính, Chủ tịch Quốc hội Vương Đình Huệ đã dự.",
     {"Võ Văn Thưởng": ("Chủ tịch nước", 1), "Phạm Minh Chính": ("Thủ tướng Chính phủ", 1),
      "Vương Đình Huệ": ("Chủ tịch Quốc hội", 1)}),
    # "và" separates two people: each keeps only their own title
    ("Thủ tướng Nguyễn Xuân Phúc và Chủ tịch Quốc hội Nguyễn Thị Kim Ngân đã dự.",
     {"Nguyễn Xuân Phúc": ("Thủ tướng", 1), "Nguyễn Thị Kim Ngân": ("Chủ tịch Quốc hội", 1)}),
    # the dot in "TP.HCM" does not end the title
    ("Bí thư Thành ủy TP.HCM Nguyễn Văn Nên phát biểu.", {"Nguyễn Văn Nên": ("Bí thư Thành ủy TP.HCM", 1)}),
    # old-style tone placement and all-caps headline still count as the same person
    ("PHÓ THỦ TƯỚNG TRẦN LƯU QUANG DỰ HỘI NGHỊ\nPhó Thủ tướng Trần Lưu Quang phát biểu.",
     {"Trần Lưu Quang": ("Phó Thủ tướng", 2)}),
    # photo credits are not officials
    ("Bộ trưởng Bùi Thanh Sơn phát biểu. Ảnh: Nguyễn Hồng/TTXVN", {"Bùi Thanh Sơn": ("Bộ trưởng", 1)}),
    # Bác Hồ and the historical Hồ Chí Minh are never officials
    ("Như lời căn dặn của Bác Hồ và tư tưởng của Chủ tịch Hồ Chí Minh.", {}),
    # a person named after a province is an official, not a province
    ("Phó Thủ tướng Thường trực Trương Hòa Bình dự hội nghị.", {"Trương Hòa Bình": ("Phó Thủ tướng Thường trực", 1)}),
    # Vietnamese ambassador abroad is an official; the country after "tại" does not make him foreign
    ("Đại sứ Việt Nam tại Lào Nguyễn Bá Hùng báo cáo.", {"Nguyễn Bá Hùng": ("Đại sứ Việt Nam tại Lào", 1)}),
    # a byline-like name with no title is not an official
    ("Hội nghị kết thúc tốt đẹp. Phóng viên Lâm Anh ghi nhận.", {}),
])
def test_officials(text, expected):
    assert officials(text) == expected


@pytest.mark.parametrize("text, foreign", [
    ("Tổng thống Nga Vladimir Putin gửi điện chúc mừng.", "Vladimir Putin"),
    # a Sino-Vietnamese rendering looks like a Vietnamese name: the country in the title makes him foreign
    ("Ủy viên Bộ Chính trị, Bộ trưởng Ngoại giao Trung Quốc Vương Nghị hội đàm.", "Vương Nghị"),
])
def test_foreign_leaders_are_kept_apart(text, foreign):
    mentions, foreigners = extract_officials(text, date(2023, 12, 19))
    assert not mentions
    assert [f.name for f in foreigners] == [foreign]


@pytest.mark.parametrize("when, role", [
    # role from the reference history at the time of the article when the text gives no title
    (date(2019, 5, 1), "Bộ trưởng Bộ Công an"),
    (date(2025, 3, 1), "Tổng Bí thư"),
])
def test_role_without_title_comes_from_role_history(when, role):
    found = officials("Đồng chí Tô Lâm dự hội nghị.", when)
    assert found["Tô Lâm"][0].startswith(role)


def test_role_comes_from_the_article_not_a_later_teaser():
    # the article's own title wins over what the reference would give for a later date
    found = officials("Bộ trưởng Bộ Công an Tô Lâm dự hội nghị.", date(2025, 3, 1))
    assert found == {"Tô Lâm": ("Bộ trưởng Bộ Công an", 1)}
