from datetime import date

import pytest

from dashboard.pipeline.dates import event_dates, is_date_line, parse_full_date


@pytest.mark.parametrize("line, expected", [
    ("Thứ ba - 19/12/2023 16:44", date(2023, 12, 19)),
    ("Thứ Ba, 19/12/2023 - 16:44", date(2023, 12, 19)),
    ("19-12-2023 16:44 GMT+7", date(2023, 12, 19)),
    ("Cập nhật: 14-12-2021 | 15:58:28", date(2021, 12, 14)),   # dateparser fails on the prefix
    ("Cập nhật lúc 10:30 ngày 14/12/2021", date(2021, 12, 14)),
    ("18 tháng 12, 2023", date(2023, 12, 18)),
    ("Ngày 18 tháng 12 năm 2023", date(2023, 12, 18)),
    ("2023-12-19T16:44:00+07:00", date(2023, 12, 19)),         # ISO 8601: the date as written, no TZ shift
    ("Chủ nhật, 10/11/2024, 10:05[GMT+7]", date(2024, 11, 10)),
    ("Thứ 4, 15/12/2021 | 11:12:45", date(2021, 12, 15)),
])
def test_date_lines(line, expected):
    assert is_date_line(line)
    assert parse_full_date(line) == expected


@pytest.mark.parametrize("line", [
    "Sáng 19/12/2023, Bộ Ngoại giao tổ chức Hội nghị Ngoại giao lần thứ 32 tại Hà Nội với chủ đề phát huy vai trò tiên phong.",
    "2222 15424319122023",                        # image id, not a date
    "Hội nghị đối ngoại toàn quốc",
    "kế hoạch phát triển kinh tế - xã hội 2021-2025",
])
def test_sentences_and_ids_are_not_date_lines(line):
    assert not is_date_line(line)


@pytest.mark.parametrize("text, year, expected", [
    ("Sáng 23/12, Hội nghị bế mạc.", 2023, [date(2023, 12, 23)]),             # no year: the conference's
    ("Hội nghị diễn ra từ ngày 19 đến 23/12/2023.", None, [date(2023, 12, 19), date(2023, 12, 23)]),
    ("HNNG 30 diễn ra từ ngày 13-17/8/2018.", None, [date(2018, 8, 13), date(2018, 8, 17)]),
    ("Sáng 14-12, Bộ Chính trị tổ chức hội nghị.", 2021, [date(2021, 12, 14)]),
    ("Sáng 23/12, Hội nghị bế mạc.", None, []),                               # no year to give it
])
def test_event_dates(text, year, expected):
    assert event_dates(text, year) == expected


def test_two_day_range_with_va():
    assert event_dates("Trong hai ngày 16 và 17/5/2024, hội nghị diễn ra.", None) == [date(2024, 5, 16), date(2024, 5, 17)]


@pytest.mark.parametrize("line, expected", [
    ("January 8, 2024 | 19:12", date(2024, 1, 8)),       # English date line on a bilingual site
    ("Dec 19, 2023", date(2023, 12, 19)),
    ("19 December 2023, 10:15", date(2023, 12, 19)),
])
def test_english_date_lines(line, expected):
    assert is_date_line(line) and parse_full_date(line) == expected
