"""Everything that enters through the app is untrusted: each hostile upload is handled and the corpus stays intact."""
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from dashboard import config
from dashboard.uploads import accept_upload, rejected_uploads

ARTICLE = (config.RAW_DIR / "t05_hnng31-khai-mac-long-an.txt").read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb(megabytes: int = 60) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bai-viet.txt", "w") as member:
            for _ in range(megabytes):
                member.write(b"0" * 1024 * 1024)
    return buffer.getvalue()


@pytest.fixture
def corpus(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "existing.txt").write_bytes(ARTICLE)
    return raw


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name, data, reason", [
    ("huge.txt", b"a" * (config.MAX_FILE_BYTES + 1), "oversized"),
    ("anh.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),           # a picture renamed .txt
    ("rong.txt", b"", "empty"),
    ("bao-cao.pdf", b"%PDF-1.7 binary", "unsupported"),
    ("bom.zip", _zip_bomb(), "zip_bomb"),
    ("hong.zip", b"PK\x03\x04 not really a zip", "undecodable"),
])
def test_hostile_uploads_are_rejected_with_a_reason_and_the_corpus_is_intact(corpus, name, data, reason):
    before = _snapshot(corpus)
    outcomes = accept_upload(name, data, corpus)
    assert [o.status for o in outcomes] == ["rejected"]
    assert outcomes[0].reason.startswith(reason)
    assert _snapshot(corpus) == before
    assert rejected_uploads(corpus.parent / "quarantine")[-1]["name"] == name     # kept in the rejected list


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..\\..\\windows\\bai.txt", "bài viết <script>.txt"])
def test_upload_name_never_chooses_the_path(corpus, tmp_path, name):
    outcomes = accept_upload(name, ARTICLE.replace(b"Long An", b"Tay Ninh"), corpus)
    assert outcomes[0].status == "stored"
    stored = (corpus / outcomes[0].stored_as).resolve()
    assert stored.parent == (corpus / "uploads").resolve()                      # renamed, inside the raw folder
    assert stored.name.endswith(".txt") and "passwd" not in stored.name and "<" not in stored.name
    assert not (tmp_path / "etc").exists()


def test_zip_of_articles_is_unpacked_under_generated_names(corpus):
    data = _zip({"../evil/a.txt": ARTICLE.replace(b"Long An", b"Cao Bang"), "b.html": b"<html><body><h1>Hoi nghi"
                 b" Ngoai giao</h1><p>Sang 19/12, hoi nghi khai mac tai Ha Noi.</p></body></html>", "c.exe": b"MZ\x00\x01"})
    outcomes = {o.name: o for o in accept_upload("lo-bai.zip", data, corpus)}
    assert outcomes["lo-bai.zip › ../evil/a.txt"].status == "stored"
    assert outcomes["lo-bai.zip › b.html"].stored_as.endswith(".html")
    assert outcomes["lo-bai.zip › c.exe"].status == "rejected"
    assert not (corpus.parent / "evil").exists()


def test_duplicate_is_not_stored_twice(corpus):
    known = frozenset({hashlib.sha1(ARTICLE).hexdigest()})
    assert accept_upload("again.txt", ARTICLE, corpus, known_hashes=known)[0].status == "duplicate"
    first = accept_upload("new.txt", ARTICLE + b"\n", corpus)[0]
    second = accept_upload("new-again.txt", ARTICLE + b"\n", corpus)[0]
    assert (first.status, second.status) == ("stored", "duplicate")
    assert len(list((corpus / "uploads").iterdir())) == 1


def test_uploaded_article_builds_and_hostile_title_stays_text(corpus, tmp_path):
    from dashboard.pipeline.build import build
    import pandas as pd

    page = ("<html><head><title>x</title></head><body><article><h1>Hội nghị Ngoại giao <script>alert(1)</script></h1>"
            "<p>Sáng 19/12, Tổng Bí thư Nguyễn Phú Trọng dự Hội nghị Ngoại giao lần thứ 32 <img src=x onerror=alert(1)>"
            " tại Hà Nội cùng nhiều đại biểu trong nước và quốc tế, các đại sứ và trưởng cơ quan đại diện.</p>"
            "</article></body></html>").encode("utf-8")
    outcome = accept_upload("bai.html", page, corpus)[0]
    build(corpus, tmp_path / "processed", progress=False)
    articles = pd.read_parquet(tmp_path / "processed" / "articles.parquet").set_index("source")
    assert articles.loc[outcome.stored_as, "conference_id"] == "ngoai-giao-32"
    assert "existing.txt" in articles.index                                       # nothing already there was lost
