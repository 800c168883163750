"""The main flows in a real browser: Debian's headless Chromium driven by Playwright against `streamlit run`.

Screenshots of every page are kept in tests/artifacts/ as test artifacts.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_streamlit(extra_env: dict[str, str]):
    """`streamlit run` on a free local port with `extra_env`; returns (process, base URL) once it answers."""
    port = _free_port()
    env = {**os.environ, **extra_env}
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT / "streamlit_app.py"),
                                "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                "--browser.gatherUsageStats", "false"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=str(PROJECT))
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail("streamlit did not start")


@pytest.fixture(scope="module")
def server(sample_build):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it with apt-get)")
    process, base = _start_streamlit({"DASHBOARD_PROCESSED_DIR": str(sample_build),
                                      "DASHBOARD_RAW_DIR": str(PROJECT / "data" / "raw")})
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _ready(page):
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def test_every_page_renders_and_is_screenshotted(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    for path, heading in [("", "Tổng quan"), ("timeline", "Dòng thời gian"), ("officials", "Quan chức"),
                          ("provinces", "Tỉnh thành"), ("keywords", "Từ khóa"), ("articles", "Bài viết")]:
        page.goto(f"{server}/{path}")
        _ready(page)
        page.wait_for_selector(f"h1:has-text('{heading}')", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        if path in ("timeline", "officials", "provinces", "keywords"):
            page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / f"page_{path or 'overview'}.png"), full_page=True)


def test_filter_is_kept_in_a_shared_link(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(server)
    _ready(page)
    before = _metric(page, "Bài viết")
    province = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text="Tỉnh thành")
    province.locator("input").fill("Long An")
    page.keyboard.press("Enter")
    page.wait_for_url("**province=Long+An**", timeout=30_000)
    _ready(page)
    after = _metric(page, "Bài viết")
    assert int(after) < int(before)
    shared = page.url
    colleague = browser.new_page(viewport={"width": 1500, "height": 1000})
    colleague.goto(shared)
    _ready(colleague)
    assert _metric(colleague, "Bài viết") == after
    assert "Long An" in colleague.locator('[data-testid="stSidebar"]').inner_text()
    colleague.screenshot(path=str(ARTIFACTS / "shared_link.png"), full_page=True)


def test_open_an_article(server, browser, sample_build):
    import pandas as pd

    articles = pd.read_parquet(sample_build / "articles.parquet")
    row = articles[articles["source"].str.startswith("h05")].iloc[0]
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(f"{server}/articles?article={row['article_id']}")
    _ready(page)
    page.wait_for_selector(f"h3:has-text('{row['title'][:30]}')", timeout=30_000)
    body = page.locator('[data-testid="stMarkdownContainer"]', has_text="Nguyễn Phú Trọng").first
    assert body.is_visible()
    page.screenshot(path=str(ARTIFACTS / "article_reader.png"), full_page=True)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """A password-protected instance on a small copy of the corpus, so uploads do not touch data/raw."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it with apt-get)")
    from dashboard.pipeline.build import build

    root = tmp_path_factory.mktemp("shared")
    raw = root / "raw"
    raw.mkdir()
    for path in sorted((PROJECT / "data" / "raw").glob("t0[1-4]*.txt")):
        (raw / path.name).write_bytes(path.read_bytes())
    build(raw, root / "processed", progress=False)
    process, base = _start_streamlit({"DASHBOARD_PROCESSED_DIR": str(root / "processed"), "DASHBOARD_RAW_DIR": str(raw),
                                      "DASHBOARD_VIEWER_PASSWORD": "xem-thoi", "DASHBOARD_EDITOR_PASSWORD": "bien-tap"})
    yield base, raw
    process.terminate()
    process.wait(timeout=10)


def test_sign_in_upload_and_see_the_article_in_the_charts(shared_server, browser, tmp_path):
    base, raw = shared_server
    before = set(p.name for p in raw.rglob("*") if p.is_file())
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(base)
    page.wait_for_selector("input[type=password]", timeout=60_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0           # nothing visible before sign-in
    page.fill("input[type=password]", "bien-tap")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    _ready(page)
    count = int(_metric(page, "Bài viết"))

    article = tmp_path / "bai-moi.txt"  # hostile names are covered in test_uploads.py; a browser sends only a base name
    article.write_text((PROJECT / "data" / "raw" / "t07_hnng32-khai-mac-bien-gioi.txt").read_text(encoding="utf-8"),
                       encoding="utf-8")
    # navigate in the app (a reload would start a new session, which signs in again)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Thêm bài viết").click()
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=60_000)
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(article))
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Thêm vào kho bài viết").click()
    page.wait_for_selector("text=Đã thêm 1 bài viết", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)
    assert str(raw.parent) not in page.locator("body").inner_text()  # the rebuild's summary names no server folder
    added = set(p.name for p in raw.rglob("*") if p.is_file()) - before
    assert len(added) == 1 and next(iter(added)).endswith(".txt") and "passwd" not in next(iter(added))

    page.locator('[data-testid="stSidebarNav"] a', has_text="Tổng quan").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    _ready(page)
    assert int(_metric(page, "Bài viết")) == count + 1
    page.locator('[data-testid="stSidebarNav"] a', has_text="Dòng thời gian").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _ready(page)
    assert "NG 32" in page.locator(".js-plotly-plot").first.inner_text()     # its conference is on the timeline
    page.screenshot(path=str(ARTIFACTS / "after_upload_timeline.png"), full_page=True)
