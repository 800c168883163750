"""`dashboard watch`: a process that rebuilds whenever the raw folder changes, with its workers kept running."""
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard import config
from dashboard.pipeline import serving, watch
from dashboard.pipeline.build import build
from dashboard.pipeline.schema import ALL_TABLES
from tests.test_build import ARTICLE, _change_middle, _remove_and_add, _rename, _sample_copy

NEW_ARTICLE = ARTICLE.replace("Lạng Sơn", "Cao Bằng").replace("Bùi Thanh Sơn", "Lê Hoài Trung")


def _assert_equals_a_full_build(raw: Path, out: Path, scratch: Path) -> None:
    build(raw, scratch, progress=False, incremental=False)
    for name in ALL_TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"),
                                      pd.read_parquet(scratch / f"{name}.parquet"), obj=name)


def _worker_pids(watcher: watch.Watcher) -> set[int]:
    return set(watcher._pool.executor._processes)


def test_rebuilds_in_the_same_running_workers_equal_full_builds(tmp_path):
    """One watcher, three changes in a row (new content, a file removed and one added, a file moved): after each,
    its rebuild equals a full build of the folder as it is, and the same two worker processes did the work."""
    raw = _sample_copy(tmp_path / "raw")
    out = tmp_path / "watched" / "out"
    with watch.Watcher(raw, out, workers=2) as watcher:
        first = watcher.rebuild()
        assert first.error is None and first.summary.articles == len(watch.listing(raw)) == 76
        workers = _worker_pids(watcher)
        assert len(workers) == 2
        for step, change in enumerate([_change_middle, _remove_and_add, _rename]):
            assert not watcher.changed()
            change(raw)
            assert watcher.changed()
            again = watcher.rebuild()
            assert again.error is None, again.error
            assert 0 < again.summary.reused < again.summary.articles
            _assert_equals_a_full_build(raw, out, tmp_path / f"full-{step}" / "out")
            assert _worker_pids(watcher) == workers  # not forked again


def _rewrite_in_place(raw: Path) -> None:
    path = raw / "a.txt"
    with open(path, "r+b") as handle:  # the same size, and no new directory entry: the folder's time stays
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace("Lạng Sơn".encode(), "Cao Bằng".encode()))


@pytest.mark.parametrize("change, seen_by_folder_time", [
    (lambda raw: (raw / "b.txt").write_text(NEW_ARTICLE, encoding="utf-8"), True),
    (lambda raw: (raw / "empty" / "c.txt").write_text(NEW_ARTICLE, encoding="utf-8"), True),  # in a folder of no files
    (lambda raw: (raw / "new" / "d").mkdir(parents=True) or (raw / "new" / "d" / "e.txt").write_text(
        NEW_ARTICLE, encoding="utf-8"), True),
    (lambda raw: (raw / "sub" / "f.txt").unlink(), True),
    (lambda raw: (raw / "sub" / "f.txt").rename(raw / "sub" / "g.txt"), True),
    (_rewrite_in_place, False),
], ids=["added", "added-to-an-empty-folder", "added-in-new-folders", "removed", "renamed", "rewritten-in-place"])
def test_a_look_stats_the_folders_and_lists_the_files_only_when_one_changed(tmp_path, monkeypatch, change,
                                                                            seen_by_folder_time):
    """Looking at an unchanged folder of many files must not stat every file every two seconds (most of a second
    per 100k files): the folders' times say whether anything was added, removed or renamed. A file rewritten in
    place leaves them alone, and is found by the listing made once the relisting time has come."""
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "empty").mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "sub" / "f.txt").write_text(ARTICLE, encoding="utf-8")
    listings = []
    real = watch.builder._inputs
    monkeypatch.setattr(watch.builder, "_inputs", lambda *args: listings.append(1) or real(*args))
    watcher = watch.Watcher(raw, tmp_path / "out")
    watcher.relist_share = 1e9  # never relisted for time's sake, unless set below
    before = watcher.look()
    for _ in range(20):
        assert watcher.look() == before
    assert len(listings) == 1
    time.sleep(0.02)  # past the coarse clock's tick the folder times were read in
    change(raw)
    assert (watcher.look() != before) is seen_by_folder_time
    watcher.relist_share = 0.0
    assert watcher.look() == watch.listing(raw) != before


def _lines(report: "queue.Queue[str]", count: int, timeout: float = 60) -> list[str]:
    deadline, out = time.monotonic() + timeout, []
    while len(out) < count:
        out.append(report.get(timeout=max(0.01, deadline - time.monotonic())))
    return out


def test_watching_builds_a_new_article_once_the_folder_is_still(tmp_path):
    """A file dropped into the folder is built by the running watcher, and nothing is rebuilt while the folder
    stays as it is."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    report: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    with watch.Watcher(raw, out, workers=1) as watcher:
        running = threading.Thread(target=watcher.run, args=(0.05, report.put, stop))
        running.start()
        try:
            (line,) = _lines(report, 1)
            assert line.startswith("rebuilt in ") and "1 articles" in line
            time.sleep(0.3)
            assert report.empty()  # six looks at an unchanged folder: no rebuild
            (raw / "b.txt").write_text(NEW_ARTICLE, encoding="utf-8")
            (line,) = _lines(report, 1)
            assert "2 articles" in line and "1 unchanged articles reused" in line
        finally:
            stop.set()
            running.join()
    sources = pq.read_table(out / "articles.parquet", columns=["source"])["source"].to_pylist()
    assert sources == ["a.txt", "b.txt"]
    mentioned = pq.read_table(out / "mentions.parquet", columns=["name"])["name"].to_pylist()
    assert "Lê Hoài Trung" in mentioned


def test_a_rebuild_that_fails_keeps_the_tables_and_the_next_one_succeeds(tmp_path, monkeypatch):
    """A full disk while writing: the rebuild is reported with its reason, the tables are the previous build's, and
    the following rebuild (the disk freed) brings them up to date."""
    raw = _sample_copy(tmp_path / "raw")
    out = tmp_path / "out"
    with watch.Watcher(raw, out, workers=1) as watcher:
        watcher.rebuild()
        before = pq.read_table(out / "articles.parquet")
        _change_middle(raw)
        real = serving.write_aggregates

        def full_disk(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(serving, "write_aggregates", full_disk)
        failed = watcher.rebuild()
        assert failed.summary is None and "No space left on device" in failed.error
        assert "tables unchanged" in failed.line()
        assert pq.read_table(out / "articles.parquet").equals(before)
        assert watcher.changed()  # still to be built
        monkeypatch.setattr(serving, "write_aggregates", real)
        assert watcher.rebuild().error is None
        assert not watcher.changed()
    _assert_equals_a_full_build(raw, out, tmp_path / "full" / "out")


def test_a_watcher_whose_rebuild_fails_tries_again_later_not_at_every_look(tmp_path, monkeypatch):
    """The folder gets a new article but the disk is full: one failed rebuild is reported, not one every look,
    and once the retry time has passed (the disk freed meanwhile) the article is built."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    real, failing = serving.write_aggregates, threading.Event()

    def sometimes_full(*args, **kwargs):
        if failing.is_set():
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(serving, "write_aggregates", sometimes_full)
    report: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    with watch.Watcher(raw, tmp_path / "out", workers=1) as watcher:
        running = threading.Thread(target=watcher.run, args=(0.05, report.put, stop, 1.5))
        running.start()
        try:
            assert _lines(report, 1)[0].startswith("rebuilt in ")
            failing.set()
            (raw / "b.txt").write_text(NEW_ARTICLE, encoding="utf-8")
            (line,) = _lines(report, 1)
            assert line.startswith("rebuild failed") and "No space left on device" in line
            time.sleep(0.8)
            assert report.empty()  # about 15 looks at the same folder, no new attempt before the retry time
            failing.clear()
            (line,) = _lines(report, 1)
            assert line.startswith("rebuilt in ") and "2 articles" in line
        finally:
            stop.set()
            running.join()


def test_a_worker_killed_between_rebuilds_is_replaced(tmp_path):
    """A worker process killed (by the out-of-memory killer, say): the next rebuild reports it and changes nothing,
    and the one after runs on new workers and is right."""
    raw = _sample_copy(tmp_path / "raw")
    out = tmp_path / "out"
    with watch.Watcher(raw, out, workers=2) as watcher:
        watcher.rebuild()
        before = pq.read_table(out / "articles.parquet")
        old = _worker_pids(watcher)
        os.kill(next(iter(old)), signal.SIGKILL)
        _change_middle(raw)
        deadline = time.monotonic() + 30
        while not watcher._pool.executor._broken and time.monotonic() < deadline:
            time.sleep(0.05)  # the pool notices the death on its own thread
        failed = watcher.rebuild()
        assert failed.error is not None and "worker process died" in failed.error
        assert pq.read_table(out / "articles.parquet").equals(before)
        again = watcher.rebuild()
        assert again.error is None and again.summary.reused > 0
        assert not (_worker_pids(watcher) & old)
    _assert_equals_a_full_build(raw, out, tmp_path / "full" / "out")


def test_changed_reference_data_ends_the_watch_for_a_restart(tmp_path, monkeypatch):
    """What the process loaded is stale once the reference data change: the watcher asks to be started again
    instead of building with the old tables, and the new process is started with the same arguments."""
    import shutil

    reference = tmp_path / "reference"
    shutil.copytree(config.REFERENCE_DIR, reference)
    monkeypatch.setattr(config, "REFERENCE_DIR", reference)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    lines: list[str] = []
    with watch.Watcher(raw, tmp_path / "out", workers=1) as watcher:
        assert not watcher.stale()
        officials = next(reference.glob("*.csv"))
        os.utime(officials, ns=(officials.stat().st_atime_ns, officials.stat().st_mtime_ns + 10 ** 9))  # edited
        assert watcher.stale()
        assert watcher.run(0.05, lines.append) == watch.RESTART
    assert lines[0].startswith("rebuilt in ") and "restarting" in lines[-1]
    assert watch.restart_command(["watch", "--input", "x", "--interval", "1"])[1:] == [
        "-m", "dashboard", "watch", "--input", "x", "--interval", "1"]


@pytest.mark.parametrize("arguments, says", [
    (["--interval", "0"], "--interval must be positive"),
    (["--input", "no-such-folder"], "does not exist"),
])
def test_cli_watch_refuses_bad_arguments(tmp_path, arguments, says):
    args = ["--input", str(tmp_path), "--output", str(tmp_path / "out"), *arguments]
    result = subprocess.run([sys.executable, "-m", "dashboard", "watch", *args], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and says in result.stderr
    assert not (tmp_path / "out").exists()


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _gone(pids: set[int], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("stop", ["ctrl_c", "sigterm", "sigterm_to_all", "sigkill"])
def test_cli_watch_builds_rebuilds_and_stops_with_its_workers(tmp_path, stop):
    """`dashboard watch` as a user runs it: the first build, a rebuild when an article arrives, then stopped by
    Ctrl+C in its terminal, by a service manager (SIGTERM to the watcher, or to all its processes as systemd does)
    or killed outright. Its worker processes never outlive it."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-m", "dashboard", "watch", "--input", str(raw), "--output", str(out),
                              "--workers", "2", "--interval", "0.1"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent,
                             start_new_session=True)  # its own process group, as a terminal's foreground job
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in child.stdout], daemon=True)
    reader.start()
    try:
        first = _lines(lines, 2)
        assert first[0].startswith("watching ") and first[1].startswith("rebuilt in ") and "1 articles" in first[1]
        (raw / "b.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        (line,) = _lines(lines, 1)
        assert "2 articles" in line and "1 unchanged articles reused" in line
        workers = _children(child.pid)
        assert len(workers) == 2
        if stop == "ctrl_c":
            os.killpg(child.pid, signal.SIGINT)  # reaches the watcher and its workers alike
        elif stop == "sigterm_to_all":
            os.killpg(child.pid, signal.SIGTERM)
        else:
            child.send_signal(signal.SIGTERM if stop == "sigterm" else signal.SIGKILL)
        status = child.wait(timeout=60)
        reader.join(timeout=10)
        if stop == "sigkill":
            assert status == -signal.SIGKILL
        else:
            assert status == 0 and lines.get_nowait() == "stopped" and lines.empty()
            assert "Traceback" not in child.stderr.read()  # the workers leave quietly
        assert _gone(workers)
    finally:
        if child.poll() is None:
            child.kill()
    assert pq.read_table(out / "articles.parquet").num_rows == 2
