"""An optional login in front of every page, with Streamlit's own OpenID Connect support (``st.login``).

evalcore has no accounts of its own. When ``.streamlit/secrets.toml`` has an ``[auth]`` section (your identity
provider: Google, Microsoft Entra, Okta, Keycloak, any OIDC provider), every page asks the visitor to log in
through it first and shows who is logged in, with a way to log out; without it, the dashboard is open to whoever
reaches its port (it listens on 127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

import streamlit as st

from ui.text import plain


def login_configured() -> bool:
    """The secrets name an identity provider (an ``[auth]`` section); no secrets file means no login."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - Streamlit raises its own error types for a missing or unreadable file
        return False


def require_login() -> None:
    """Stop the page with a login button unless the visitor is logged in (only when a provider is configured)."""
    if not login_configured():
        return
    if not st.user.get("is_logged_in"):  # a dict-like; a session without identity has no such key
        st.title("evalcore")
        st.info("This dashboard is shared by your team: log in with your organisation's account to continue.",
                icon=":material/lock:")
        st.button("Log in", type="primary", key="login", on_click=st.login)
        st.stop()
    with st.sidebar:
        st.caption(plain(f"Logged in as {st.user.get('email') or st.user.get('name') or 'you'}"))
        st.button("Log out", key="logout", on_click=st.logout)
