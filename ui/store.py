"""The run store of $EVALCORE_HOME, opened once per folder for the Streamlit server, and checked once."""

from __future__ import annotations

import streamlit as st

from evalcore.errors import StoreError
from evalcore.runs import RunStore, home
from evalcore.runs.store import store_error
from ui.guard import show_error


@st.cache_resource
def _store(folder: str) -> RunStore:
    return RunStore(folder)


def run_store() -> RunStore:
    """The run store of $EVALCORE_HOME (read on every call, so tests and CLI overrides are honoured)."""
    return _store(str(home()))


@st.cache_resource
def _damage(folder: str) -> str | None:
    """The store's quick check, once per server and folder: a damaged page may sit where no page reads yet."""
    store = _store(folder)
    problems = store.quick_check()
    if not problems:
        return None
    return str(store_error(None, store.path))


def warn_if_damaged() -> None:
    """Say so at the top of a page that uses the store, if the store's file is damaged anywhere."""
    try:
        message = _damage(str(home()))
    except StoreError:
        return  # the page's own reading of the store shows this error
    if message:
        show_error(StoreError(message))
