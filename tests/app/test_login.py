"""The optional login: with an identity provider in the secrets, nothing shows before logging in; without one,
the dashboard opens as before."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "not-a-real-secret",
            "client_id": "evalcore", "client_secret": "not-a-real-secret",
            "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def test_with_an_identity_provider_configured_every_page_asks_for_a_login_first():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = PROVIDER
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Log in"] and "log in" in at.info[0].value
    assert not at.file_uploader and not at.dataframe  # no page content, no run data
    assert "Evaluate" not in [t.value for t in at.title]


def test_without_one_the_dashboard_opens_as_before():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert "Log in" not in [b.label for b in at.button] and at.file_uploader
