import pytest

from dashboard.pipeline.provinces import extract_provinces, find_provinces, to_34


@pytest.mark.parametrize("text, expected", [
    ("Giữ vững môi trường hòa bình, ổn định.", []),                       # hòa bình = peace
    ("Hợp tác ở khu vực châu Á - Thái Bình Dương.", []),                  # the Pacific, not Thái Bình / Bình Dương
    ("Phó Thủ tướng Trương Hòa Bình và Chánh án Nguyễn Hòa Bình.", []),     # people
    ("Lãnh đạo tỉnh Hòa Bình dự hội nghị.", ["Hòa Bình"]),
    ("Tư tưởng Hồ Chí Minh; Chủ tịch Hồ Chí Minh; Học viện Chính trị quốc gia Hồ Chí Minh.", []),
    ("Lãnh đạo TP.HCM, TPHCM, TP. Hồ Chí Minh và Thành phố Hồ Chí Minh.", ["Thành phố Hồ Chí Minh"] * 4),
    ("Đoàn công tác của Huế và Thừa Thiên - Huế.", ["Thừa Thiên Huế"] * 2),
    ("Đoàn đại biểu tỉnh Khánh Hoà; xã Khánh Hòa thuộc tỉnh Lào Cai.", ["Khánh Hòa", "Lào Cai"]),  # commune
    ("Hội nghị được kết nối tới 63 tỉnh, thành phố.", []),                # a count names no province
    ("Đại biểu tỉnh Đắc Lắc và Bà Rịa-Vũng Tàu.", ["Đắk Lắk", "Bà Rịa - Vũng Tàu"]),  # spelling variants
])
def test_mentions(text, expected):
    assert [m.province for m in find_provinces(text)] == expected


@pytest.mark.parametrize("text, expected", [
    # bridge point in the province
    ("Dự hội nghị tại điểm cầu tỉnh Bình Phước có lãnh đạo tỉnh.", {"Bình Phước": True}),
    # several bridge points in one sentence
    ("Hội nghị kết nối tới các điểm cầu Quảng Ninh, Lạng Sơn và Cao Bằng.",
     {"Quảng Ninh": True, "Lạng Sơn": True, "Cao Bằng": True}),
    # the national venue alone does not take part
    ("Hội nghị diễn ra tại Hà Nội, kết hợp trực tuyến tới các địa phương.", {"Hà Nội": False}),
    # "điểm cầu tỉnh ta" names no province
    ("Các đại biểu dự tại điểm cầu tỉnh ta.", {}),
    # organiser / co-organiser
    ("UBND tỉnh Quảng Ninh phối hợp với Bộ Ngoại giao tổ chức hội nghị.", {"Quảng Ninh": True}),
    ("Bộ Ngoại giao phối hợp với UBND tỉnh Lào Cai tổ chức hội nghị.", {"Lào Cai": True}),
    # venue of someone else's event: mentioned only
    ("Bộ Ngoại giao tổ chức hội nghị tại tỉnh Quảng Ninh.", {"Quảng Ninh": False}),
    # agency attending in the province's name, as a list
    ("Tham dự có lãnh đạo Sở Ngoại vụ các địa phương gồm Thanh Hoá, Nghệ An và Huế.",
     {"Thanh Hóa": True, "Nghệ An": True, "Thừa Thiên Huế": True}),
    # mentioned in passing
    ("Kim ngạch xuất khẩu của Bắc Ninh tăng mạnh.", {"Bắc Ninh": False}),
])
def test_participation(text, expected):
    assert extract_provinces(text) == expected


def test_venue_bridge_point_is_not_participation():
    text = "Tham dự tại điểm cầu Hà Nội có Phó Thủ tướng. Tại điểm cầu Long An có lãnh đạo tỉnh."
    assert extract_provinces(text, venue="Hà Nội") == {"Hà Nội": False, "Long An": True}


def test_leader_role_shows_participation():
    text = "Chủ tịch UBND tỉnh Khánh Hòa phát biểu tham luận; Khánh Hòa là điểm đến của nhiều đoàn."
    assert extract_provinces("Khánh Hòa là điểm đến.", ["Chủ tịch UBND tỉnh Khánh Hòa"]) == {"Khánh Hòa": True}
    assert extract_provinces(text)["Khánh Hòa"] is True


@pytest.mark.parametrize("province, unit", [
    ("Thừa Thiên Huế", "Huế"), ("Bình Phước", "Đồng Nai"), ("Hà Giang", "Tuyên Quang"), ("Hòa Bình", "Phú Thọ"),
    ("Bình Dương", "Thành phố Hồ Chí Minh"), ("Quảng Nam", "Đà Nẵng"), ("Hà Nội", "Hà Nội"), ("Kon Tum", "Quảng Ngãi"),
])
def test_34_unit_mapping(province, unit):
    assert to_34(province) == unit


@pytest.mark.parametrize("text, expected", [
    # the agency is the article's own province; "tại" makes Hà Nội a venue
    ("Quang cảnh Hội nghị Ngoại vụ mà lãnh đạo Sở Ngoại vụ tỉnh tham dự tại Hà Nội năm 2023.", {"Hà Nội": False}),
    # a colon-introduced list with semicolons
    ("Tham dự có lãnh đạo Sở Ngoại vụ các tỉnh: Phú Yên; Quảng Ngãi; Ninh Thuận.",
     {"Phú Yên": True, "Quảng Ngãi": True, "Ninh Thuận": True}),
])
def test_agency_lists_and_venues(text, expected):
    assert extract_provinces(text) == expected
