import pytest

from dashboard.pipeline.keywords import extract_keywords


@pytest.mark.parametrize("text, expected", [
    # compound words come out whole, not as syllables ("ngành" is a stopword: every article has it)
    ("Ngành ngoại giao thúc đẩy hội nhập quốc tế sâu rộng.", {"ngoại giao", "hội nhập quốc tế", "sâu rộng", "thúc đẩy"}),
    # domain phrases are one term
    ("Phát huy bản sắc ngoại giao cây tre Việt Nam.", {"bản sắc", "ngoại giao cây tre", "việt nam"}),
    ("Triển khai Nghị quyết số 34-NQ/TW và Kết luận số 57 sau Đại hội XIII.",
     {"nghị quyết số 34-nq/tw", "kết luận số 57", "đại hội xiii"}),
    # "giữ vững" is one phrase (underthesea splits it into two generic halves)
    ("Giữ vững môi trường hòa bình, ổn định.", {"giữ vững", "môi trường", "hòa bình", "ổn định"}),
])
def test_segmentation_keeps_vietnamese_words_whole(text, expected):
    assert set(extract_keywords(text)) == expected


@pytest.mark.parametrize("text, dropped", [
    ("Đồng chí Bộ trưởng nhấn mạnh công tác tổ chức thực hiện.", {"đồng chí", "bộ trưởng", "nhấn mạnh", "công tác",
                                                                    "tổ chức", "thực hiện"}),
    ("Các đại biểu đã tham dự hội nghị tại điểm cầu của tỉnh.", {"các", "đại biểu", "tham dự", "hội nghị", "điểm cầu", "tỉnh"}),
    # underthesea splits "nâng cao" here; "nâng" alone was a top row of the keyword heatmap
    ("Ban cần nâng cao hơn nữa chất lượng nghiên cứu", {"nâng", "cao", "nâng cao"}),
    # "cho biết" (said) and "diễn ra" (takes place) leave "biết" and "diễn" behind when split
    ("Thứ trưởng cho biết, hội nghị diễn ra trong hai ngày và không làm gián đoạn công việc.",
     {"biết", "diễn", "không", "làm"}),
])
def test_stopwords_and_party_formulae_are_removed(text, dropped):
    assert not set(extract_keywords(text)) & dropped


def test_masked_names_and_old_tone_spelling():
    text = "Tổng Bí thư Nguyễn Phú Trọng nói về hoà bình và hòa bình."
    start = text.index("Nguyễn")
    counts = extract_keywords(text, [(start, start + len("Nguyễn Phú Trọng"))])
    assert "nguyễn phú trọng" not in counts and "phú trọng" not in counts
    assert counts["hòa bình"] == 2                        # one spelling for old/new tone placement
