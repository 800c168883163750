import codecs
import unicodedata

import pytest

from dashboard.pipeline.decode import RejectedFile, decode_bytes
from tests.legacy_encodings import to_cp1258

TEXT = ("Sáng 14/12, Tổng Bí thư Nguyễn Phú Trọng chủ trì Hội nghị Đối ngoại toàn quốc tại Hội trường Diên Hồng, "
        "Nhà Quốc hội. Tại điểm cầu Tỉnh uỷ Khánh Hoà có lãnh đạo tỉnh.")


@pytest.mark.parametrize("encoded, codec", [
    (TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("utf-8-sig"), "utf-8-sig"),                  # BOM from Windows editors
    (TEXT.encode("utf-16"), "utf-16"),                        # UTF-16 LE with BOM
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),  # UTF-16 BE with BOM
    (TEXT.encode("utf-16-le"), "utf-16-le"),                  # UTF-16 without BOM
    (to_cp1258(TEXT), "cp1258"),                              # Windows-1258: tones as combining marks
    (unicodedata.normalize("NFD", TEXT).encode("utf-8"), "utf-8"),  # decomposed text
])
def test_every_encoding_decodes_to_the_same_nfc_text(encoded, codec):
    decoded = decode_bytes(encoded)
    assert decoded.text == TEXT
    assert decoded.encoding == codec


def test_html_declared_windows_1258_is_honoured():
    page = b'<html><head><meta charset="windows-1258"></head><body>' + to_cp1258("Bế mạc Hội nghị") + b"</body></html>"
    assert "Bế mạc Hội nghị" in decode_bytes(page).text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\t \r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),     # an image saved as .txt
    (b"PK\x03\x04\x14\x00\x00\x00" + bytes(200), "binary"),          # a zip/docx
    (bytes([0x81, 0x8d, 0xfe, 0xd0, 0xde, 0xf0]) * 200, "undecodable"),  # no code page yields Vietnamese
])
def test_bad_files_are_rejected_with_a_reason(data, reason):
    with pytest.raises(RejectedFile) as info:
        decode_bytes(data)
    assert info.value.reason == reason
    assert info.value.detail
