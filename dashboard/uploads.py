"""Adding articles through the app: every upload is untrusted.

Each file is checked (type, size, encoding) and stored under `data/raw/uploads/` with a name generated from the
date and its content hash: never the uploaded path, so "../../etc/passwd" cannot choose where anything is written.
Zip archives are read entry by entry with limits on the number of entries, their total unpacked size and the
compression ratio (a zip bomb is refused before anything is unpacked). A file that cannot be used is reported with
its reason and logged in `data/quarantine/rejected_uploads.csv`; nothing already in the corpus is changed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dashboard import config
from dashboard.pipeline.decode import RejectedFile, decode_bytes

ARTICLE_TYPES = {".txt": ".txt", ".text": ".txt", ".html": ".html", ".htm": ".html"}
MAX_ZIP_ENTRIES = 500
MAX_ZIP_UNPACKED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100  # deflate reaches ~10x on text; 100x+ is a bomb


@dataclass(frozen=True)
class UploadOutcome:
    name: str               # as uploaded: shown as text, never used as a path
    stored_as: str | None   # path relative to the raw folder, when stored
    status: str             # "stored", "duplicate" or "rejected"
    reason: str


def _suffix(name: str, data: bytes) -> str | None:
    suffix = os.path.splitext(name.replace("\\\\", "/").rsplit("/", 1)[-1])[1].lower()
    if suffix in ARTICLE_TYPES:
        return ARTICLE_TYPES[suffix]
    if suffix:
        return None
    head = data[:512].lower()
    return ".html" if b"<html" in head or b"<!doctype html" in head else ".txt"


def _check_article(name: str, data: bytes, max_bytes: int) -> str:
    """The stored suffix for a usable article, else raise RejectedFile."""
    if len(data) > max_bytes:
        raise RejectedFile("oversized", f"{len(data)} bytes is over the {max_bytes}-byte limit")
    suffix = _suffix(name, data)
    if suffix is None:
        raise RejectedFile("unsupported", "only .txt, .html and .htm articles (or a .zip of them) can be added")
    decode_bytes(data)  # empty, binary or undecodable files raise here with their reason
    return suffix


def _store(data: bytes, suffix: str, raw_dir: Path, now: datetime) -> tuple[str, bool]:
    """Write `data` under raw_dir/uploads with a generated name; (relative path, newly written)."""
    digest = hashlib.sha1(data).hexdigest()
    uploads = raw_dir / "uploads"
    existing = next(uploads.glob(f"*-{digest[:16]}{suffix}"), None) if uploads.is_dir() else None
    if existing is not None:
        return existing.relative_to(raw_dir).as_posix(), False
    uploads.mkdir(parents=True, exist_ok=True)
    target = uploads / f"{now:%Y%m%d}-{digest[:16]}{suffix}"
    temporary = uploads / f".{target.name}.{os.getpid()}.part"
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return target.relative_to(raw_dir).as_posix(), True


def _zip_members(name: str, data: bytes, max_bytes: int):
    """(entry name, bytes) of the article entries of a zip, after the bomb checks; raises RejectedFile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RejectedFile("undecodable", "not a valid zip archive")
    entries = [i for i in archive.infolist() if not i.is_dir()]
    if len(entries) > MAX_ZIP_ENTRIES:
        raise RejectedFile("zip_bomb", f"{len(entries)} entries (at most {MAX_ZIP_ENTRIES})")
    unpacked = sum(i.file_size for i in entries)
    packed = sum(max(i.compress_size, 1) for i in entries)
    if unpacked > MAX_ZIP_UNPACKED or unpacked / packed > MAX_ZIP_RATIO:
        raise RejectedFile("zip_bomb", f"unpacks to {unpacked} bytes from {packed} (ratio {unpacked // packed}x)")
    for info in entries:
        if info.file_size > max_bytes:
            yield info.filename, None, RejectedFile("oversized", f"{info.file_size} bytes is over the {max_bytes}-byte limit")
            continue
        with archive.open(info) as handle:
            content = handle.read(max_bytes + 1)  # never trust the declared size
        yield info.filename, content, None


def accept_upload(name: str, data: bytes, raw_dir: Path = config.RAW_DIR, max_bytes: int = config.MAX_FILE_BYTES,
                  now: datetime | None = None, log_dir: Path | None = None,
                  known_hashes: frozenset[str] = frozenset()) -> list[UploadOutcome]:
    """Validate and store one uploaded file (or the articles inside a zip). Returns one outcome per article.

    `known_hashes` are the SHA-1s of the files already in the corpus (articles.content_hash): those are duplicates.
    """
    now = now or datetime.now(timezone.utc)
    raw_dir = Path(raw_dir)
    outcomes: list[UploadOutcome] = []
    try:
        if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
            if len(data) > max_bytes * 4:
                raise RejectedFile("oversized", f"{len(data)} bytes is over the {max_bytes * 4}-byte archive limit")
            members = list(_zip_members(name, data, max_bytes))
        else:
            members = [(name, data, None)]
    except RejectedFile as exc:
        members, outcomes = [], [UploadOutcome(name, None, "rejected", f"{exc.reason}: {exc.detail}")]
    for member, content, problem in members:
        label = member if member == name else f"{name} › {member}"
        try:
            if problem is not None:
                raise problem
            suffix = _check_article(member, content, max_bytes)
            if hashlib.sha1(content).hexdigest() in known_hashes:
                outcomes.append(UploadOutcome(label, None, "duplicate", "the same article is already in the corpus"))
                continue
            stored, new = _store(content, suffix, raw_dir, now)
            outcomes.append(UploadOutcome(label, stored, "stored" if new else "duplicate",
                                          "" if new else "the same article is already in the corpus"))
        except RejectedFile as exc:
            outcomes.append(UploadOutcome(label, None, "rejected", f"{exc.reason}: {exc.detail}"))
    _log_rejections([o for o in outcomes if o.status == "rejected"], log_dir or raw_dir.parent / "quarantine", now)
    return outcomes


def _log_rejections(rejected: list[UploadOutcome], log_dir: Path, now: datetime) -> None:
    if not rejected:
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "rejected_uploads.csv"
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["time", "name", "reason"])
        for outcome in rejected:
            writer.writerow([now.isoformat(timespec="seconds"), outcome.name, outcome.reason])


def rejected_uploads(log_dir: Path) -> list[dict[str, str]]:
    path = Path(log_dir) / "rejected_uploads.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
