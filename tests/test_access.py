"""Who sees what: local runs stay open; the shared instance needs sign-in; only editors may add articles."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.fixture
def app(sample_build, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_PROCESSED_DIR", str(sample_build))
    monkeypatch.setenv("DASHBOARD_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.delenv("DASHBOARD_VIEWER_PASSWORD", raising=False)
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD", raising=False)
    return lambda: AppTest.from_file(ENTRY, default_timeout=90)


def _signed_in(app, monkeypatch, password: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_VIEWER_PASSWORD", "xem-thoi")
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bien-tap")
    at = app().run()
    at.text_input[0].input(password)
    at.button[0].click().run()
    return at


def test_local_run_is_open_and_may_add_articles(app):
    at = app().run()
    assert not at.exception and len(at.metric) == 5
    at.switch_page("dashboard/app/app_pages/upload.py").run()
    assert not at.exception
    assert at.title[0].value == "Thêm bài viết"


def test_password_mode_shows_nothing_before_sign_in(app, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bien-tap")
    assert not app().run().metric                                              # no data before sign-in
    at = _signed_in(app, monkeypatch, "sai-mat-khau")
    assert not at.get("plotly_chart") and not at.dataframe
    assert any("Sai mật khẩu" in e.value for e in at.error)
    assert not at.metric


def test_viewer_reads_but_cannot_upload(app, monkeypatch):
    at = _signed_in(app, monkeypatch, "xem-thoi")
    assert len(at.metric) == 5
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not routed for viewers at all
        at.switch_page("dashboard/app/app_pages/upload.py")


def test_editor_can_open_the_upload_page(app, monkeypatch):
    at = _signed_in(app, monkeypatch, "bien-tap")
    at.switch_page("dashboard/app/app_pages/upload.py").run()
    assert at.title[0].value == "Thêm bài viết"


def test_repeated_wrong_passwords_lock_the_form(app, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "bien-tap")
    at = app().run()
    for _ in range(5):
        at.text_input[0].input("doan-mo")
        at.button[0].click().run()
    at.run()
    assert any("thử lại sau một phút" in e.value for e in at.error)
    assert not at.text_input                                                    # no form while locked


def test_oidc_configured_requires_sign_in(app):
    at = app()
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Đăng nhập"]
    assert not at.metric and not at.dataframe
