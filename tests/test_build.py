import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.pipeline import build as build_module
from dashboard.pipeline.build import build
from dashboard.pipeline.schema import ALL_TABLES

ARTICLE = ("Bế mạc Hội nghị Ngoại giao lần thứ 32\n\nThứ bảy - 23/12/2023 17:00\n\n"
           "Sáng 23/12, Hội nghị Ngoại giao lần thứ 32 bế mạc tại Hà Nội. Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn "
           "phát biểu bế mạc và trao Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong công tác.\n"
           "Tại điểm cầu tỉnh Lạng Sơn, lãnh đạo tỉnh theo dõi hội nghị.\nMinh Anh\nTin cùng chuyên mục\n"
           "Tổng Bí thư Tô Lâm thăm Lào Cai\n")


@pytest.fixture
def corpus(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "sub" / "copy.txt").write_text("(TTXVN) " + ARTICLE.replace("Minh Anh", "Thu Hằng"), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3)
    (raw / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    (raw / "huge.txt").write_bytes(b"a" * 2048)
    (raw / "README.md").write_text("Sample corpus notes, not an article.", encoding="utf-8")
    return raw


def test_bad_files_are_quarantined_and_the_rest_builds(corpus, tmp_path):
    summary = build(corpus, tmp_path / "out", max_bytes=1024, progress=False)
    rejected = pd.read_parquet(tmp_path / "out" / "rejected.parquet")
    assert dict(zip(rejected.source, rejected.reason)) == {
        "empty.txt": "empty", "photo.txt": "binary", "report.pdf": "unsupported", "huge.txt": "oversized"}
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert sorted(articles.source) == ["good.txt", "sub/copy.txt"]
    assert summary.articles == 2 and summary.rejected == 4


def test_republished_story_is_linked_to_the_first(corpus, tmp_path):
    build(corpus, tmp_path / "out", max_bytes=1024, progress=False)
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet").set_index("source")
    links = {k: (None if pd.isna(v) else v) for k, v in articles["duplicate_of"].items()}
    # same published date: the first by path is the original, the other points at it
    assert links == {"good.txt": None, "sub/copy.txt": articles.loc["good.txt", "article_id"]}


def test_every_table_has_its_documented_columns(corpus, tmp_path):
    build(corpus, tmp_path / "out", max_bytes=1024, progress=False)
    for name, (_, columns) in ALL_TABLES.items():
        schema = pq.read_schema(tmp_path / "out" / f"{name}.parquet")
        assert schema.names == [c[0] for c in columns]


def test_two_builds_give_identical_tables(corpus, tmp_path, monkeypatch):
    build(corpus, tmp_path / "a", max_bytes=1024, progress=False)
    monkeypatch.setattr(build_module, "POOL_MIN_FILES", 1)   # this small corpus would otherwise skip the pool
    second = build(corpus, tmp_path / "b", max_bytes=1024, workers=2, progress=False, incremental=False)
    assert second.reused == 0                                  # extracted again, in two worker processes
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "b" / f"{name}.parquet"))


def test_interrupted_build_leaves_previous_tables_intact(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out, max_bytes=1024, progress=False)
    before = {name: pd.read_parquet(out / f"{name}.parquet") for name in ALL_TABLES}
    (corpus / "new.txt").write_text(ARTICLE.replace("Lạng Sơn", "Cao Bằng"), encoding="utf-8")
    calls = {"n": 0}
    real_write = build_module.pq.write_table

    def failing_write(table, where, **kwargs):
        if Path(where).parent.name.startswith(".out.building-"):  # the processed tables, not the cache
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt("interrupted mid-write")
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(build_module.pq, "write_table", failing_write)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, out, max_bytes=1024, progress=False)
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), before[name])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging folder left behind


def test_cli_missing_input_folder_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "build", "--input", str(tmp_path / "nope"),
                             "--output", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("arguments, status, says", [
    (["build", "--input", "{missing}"], 2, "does not exist"),
    (["build", "--input", "{corpus}", "--engine", "dask"], 2, "needs --scheduler"),
    (["rebuild"], 2, "invalid choice"),
    (["--help"], 0, "build"),
])
def test_cli_exit_status_and_message_survive_the_fast_exit(corpus, tmp_path, arguments, status, says):
    # the command leaves through os._exit (no interpreter teardown): its status and output must still get out
    arguments = [a.format(missing=tmp_path / "nope", corpus=corpus) for a in arguments]
    result = subprocess.run([sys.executable, "-m", "dashboard", *arguments], capture_output=True, text=True)
    assert result.returncode == status
    assert says in result.stdout + result.stderr


def test_cli_prints_a_one_line_summary(corpus, tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "build", "--input", str(corpus), "--output",
                             str(tmp_path / "out"), "--max-bytes", "1024", "--quiet"], capture_output=True, text=True,
                            env={**os.environ})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("2 articles, 4 rejected, 1 officials")


def test_readme_documents_the_current_table_contract():
    from pathlib import Path

    from dashboard.pipeline.schema import markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert markdown().strip() in readme, "run `python -m dashboard schema` and paste it into the README"


def test_incremental_rebuild_reuses_unchanged_articles_and_equals_a_full_build(corpus, tmp_path):
    first = build(corpus, tmp_path / "inc" / "out", max_bytes=1024, progress=False)
    assert first.reused == 0
    (corpus / "good.txt").write_text(ARTICLE.replace("Lạng Sơn", "Cao Bằng"), encoding="utf-8")  # one article changed
    second = build(corpus, tmp_path / "inc" / "out", max_bytes=1024, progress=False)
    assert second.reused == 1                                  # the unchanged copy came from the cache
    full = build(corpus, tmp_path / "full" / "out", max_bytes=1024, progress=False, incremental=False)
    assert full.reused == 0
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "inc" / "out" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "full" / "out" / f"{name}.parquet"))
    provinces = pd.read_parquet(tmp_path / "inc" / "out" / "provinces.parquet")
    assert "Cao Bằng" in set(provinces["province"])          # the changed article was extracted again


def test_dask_engine_builds_the_same_tables_as_the_local_build(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    build(corpus, tmp_path / "local" / "out", max_bytes=1024, progress=False, incremental=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = build(corpus, tmp_path / "dask" / "out", max_bytes=1024, progress=False, scheduler=cluster.scheduler_address)
    assert summary.articles == 2 and summary.rejected == 4
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "local" / "out" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "dask" / "out" / f"{name}.parquet"))


def _sample_copy(target: Path) -> Path:
    import shutil

    from dashboard import config

    shutil.copytree(config.RAW_DIR, target)
    return target


def _articles(raw: Path) -> list[str]:
    return sorted(p.name for p in raw.glob("*.txt"))


def _change_middle(raw: Path) -> None:
    """Articles in the middle of the path order get new content (same paths, so the same article ids)."""
    for name in _articles(raw)[10:13]:
        path = raw / name
        path.write_text(path.read_text(encoding="utf-8").replace("Hà Nội", "Hải Phòng"), encoding="utf-8")


def _remove_and_add(raw: Path) -> None:
    """One article deleted, one added between two others in path order (a wire copy of an existing story)."""
    names = _articles(raw)
    (raw / names[5]).unlink()
    text = (raw / names[20]).read_text(encoding="utf-8")
    (raw / (names[20][:-4] + "_copy.txt")).write_text("(TTXVN) " + text, encoding="utf-8")


def _rename(raw: Path) -> None:
    """An article moved to another path: same bytes, new id."""
    names = _articles(raw)
    (raw / names[30]).rename(raw / "zz_moved.txt")


def _everything(raw: Path) -> None:
    _change_middle(raw)
    _remove_and_add(raw)
    _rename(raw)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("change", [_change_middle, _remove_and_add, _rename, _everything])
def test_a_rebuild_after_changes_anywhere_in_the_corpus_equals_a_full_build(tmp_path, monkeypatch, change, workers):
    """The sample corpus built, changed, rebuilt from the cache (in this process, or with the changed files sent to
    a pool of 2): every table equals a full build of the changed corpus, row for row (cached and new rows are
    ordered together, rows of a changed article's old version left out)."""
    monkeypatch.setattr(build_module, "POOL_MIN_FILES", 1)  # a pool even for the few files changed
    raw = _sample_copy(tmp_path / "raw")
    first = build(raw, tmp_path / "inc" / "out", progress=False)
    change(raw)
    again = build(raw, tmp_path / "inc" / "out", workers=workers, progress=False)
    assert 0 < again.reused < first.articles + 1
    build(raw, tmp_path / "full" / "out", progress=False, incremental=False)
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "inc" / "out" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "full" / "out" / f"{name}.parquet"), obj=name)


def test_the_cache_keeps_its_rows_when_the_processed_tables_are_deleted(corpus, tmp_path):
    """The cache's article tables are hard links to the processed files: deleting the processed folder must not
    take them away."""
    import shutil

    out = tmp_path / "out"
    first = build(corpus, out, max_bytes=1024, progress=False)
    shutil.rmtree(out)
    again = build(corpus, out, max_bytes=1024, progress=False)
    assert again.reused == first.articles == 2
    full = build(corpus, tmp_path / "full" / "out", max_bytes=1024, progress=False, incremental=False)
    assert full.reused == 0
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "full" / "out" / f"{name}.parquet"), obj=name)


def test_a_cache_whose_articles_are_not_the_ones_its_meta_describes_is_not_used(corpus, tmp_path):
    """If the cached articles file and its meta disagree (one replaced by hand, a copy from another build), every
    article is extracted again rather than read against the wrong metadata."""
    out = tmp_path / "out"
    build(corpus, out, max_bytes=1024, progress=False)
    articles = build_module.default_cache_dir(out) / "articles.parquet"
    table = pq.read_table(articles)
    articles.unlink()  # a hard link: replace it, do not write through it into the processed table
    pq.write_table(table.take([1, 0]), articles)
    again = build(corpus, out, max_bytes=1024, progress=False)
    assert again.reused == 0 and again.articles == 2
    assert pq.read_table(out / "articles.parquet").num_rows == 2


@pytest.mark.parametrize("convert_in_workers", [True, False])
def test_a_build_in_worker_processes_equals_a_build_in_one(sample_build, tmp_path, monkeypatch, convert_in_workers):
    """The sample corpus extracted by a pool of 2 processes (76 files, enough to start one), whose workers send
    Arrow columns (a large build) or their rows (a small one, converted by the parent), gives exactly the tables of
    the one-process build."""
    monkeypatch.setattr(build_module, "CONVERT_IN_WORKERS", 0 if convert_in_workers else 10 ** 9)
    from dashboard import config

    pools = []

    class Recorded(build_module._PoolResults):
        def __init__(self, *args):
            super().__init__(*args)
            pools.append(self._convert)

    monkeypatch.setattr(build_module, "_PoolResults", Recorded)
    build(config.RAW_DIR, tmp_path / "out", workers=2, progress=False)
    assert pools == [convert_in_workers]  # the articles went through a pool, in the mode asked for
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / f"{name}.parquet"),
                                      pd.read_parquet(sample_build / f"{name}.parquet"), obj=name)


def test_input_files_are_listed_as_os_walk_lists_them(tmp_path):
    """The build's own folder walk: hidden files and folders, READMEs are skipped; symbolic links to files count,
    links to folders are not followed (as `os.walk`); paths are relative, with "/", in path order."""
    raw = tmp_path / "raw"
    (raw / "2023" / "12").mkdir(parents=True)
    (raw / ".git").mkdir()
    (raw / "outside").mkdir()
    for name in ["a.txt", "a-b.txt", "README.md", ".hidden.txt", "2023/12/b.html", "2023/c.txt", ".git/x.txt",
                 "outside/d.txt"]:
        (raw / name).write_text("x", encoding="utf-8")
    (raw / "link.txt").symlink_to(raw / "a.txt")
    (raw / "linked-folder").symlink_to(raw / "outside", target_is_directory=True)

    def reference(folder: Path) -> list[str]:
        out = []
        for here, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            prefix = os.path.relpath(here, folder).replace(os.sep, "/")
            prefix = "" if prefix == "." else prefix + "/"
            out.extend(prefix + f for f in files if not f.startswith(".") and f != "README.md")
        return sorted(out)

    listed = build_module.list_inputs(raw)
    assert listed == reference(raw)
    assert listed == ["2023/12/b.html", "2023/c.txt", "a-b.txt", "a.txt", "link.txt", "outside/d.txt"]


def test_two_builds_of_the_same_output_take_turns(tmp_path, monkeypatch):
    """Two editors upload at once, or an upload lands while `dashboard watch` rebuilds: both builds share the cache
    and swap the same folder. The second waits for the first instead of reading the cache it is rewriting, and the
    tables end up those of a full build, with no half-swapped folder left beside them."""
    import threading

    raw, out = tmp_path / "raw", tmp_path / "data" / "processed"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    writing, finish = threading.Event(), threading.Event()
    started: list[str] = []
    real_extract, real_write = build_module.extract_corpus, build_module.write_tables

    def extract(*args, **kwargs):
        started.append(threading.current_thread().name)
        return real_extract(*args, **kwargs)

    def write(*args, **kwargs):
        if threading.current_thread().name == "first":  # the first build stops just before it writes
            writing.set()
            assert finish.wait(60)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(build_module, "extract_corpus", extract)
    monkeypatch.setattr(build_module, "write_tables", write)
    summaries = {}
    first = threading.Thread(target=lambda: summaries.update(first=build(raw, out, progress=False)), name="first")
    first.start()
    assert writing.wait(60)
    (raw / "b.txt").write_text(ARTICLE.replace("Lạng Sơn", "Cao Bằng"), encoding="utf-8")  # the upload's article
    second = threading.Thread(target=lambda: summaries.update(second=build(raw, out, progress=False)), name="second")
    second.start()
    second.join(timeout=1.0)
    assert started == ["first"]  # the second build has not begun while the first is writing
    finish.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert started == ["first", "second"]
    assert summaries["first"].articles == 1 and summaries["second"].articles == 2
    assert summaries["second"].reused == 1  # it read the cache the first one had finished writing
    full = build(raw, tmp_path / "full" / "processed", progress=False, incremental=False)
    assert full.articles == 2
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "full" / "processed" / f"{name}.parquet"), obj=name)
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "processed"]
