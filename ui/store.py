"""The run store of the server ($EVALCORE_STORE, else $EVALCORE_HOME), opened once per address, with lost workers
marked before each use; a SQLite store's file is checked once per version of it."""

from __future__ import annotations

import streamlit as st

from evalcore.errors import StoreError
from evalcore.runs import RunStore, SqliteRunStore, open_store
from evalcore.runs.backends import address
from evalcore.runs.diagnosis import store_error
from evalcore.training.supervisor import reconcile
from ui.guard import show_error


@st.cache_resource
def _store(uri: str) -> RunStore:
    return open_store(uri)


def run_store() -> RunStore:
    """The server's run store (its address read on every call, so tests and CLI overrides are honoured), after
    the supervisor has marked runs whose worker is gone as lost (the store's reads never write)."""
    store = _store(address())
    reconcile(store)
    return store


@st.cache_resource(max_entries=4)
def _damage(uri: str, version: tuple) -> str | None:
    """The store's quick check, once per version of the file (its inode, size and modification time): a damaged
    page may sit where no page reads yet. A recovered or restored file is a new version, checked again."""
    store = _store(uri)
    assert isinstance(store, SqliteRunStore)
    return str(store_error(None, store.path)) if store.quick_check() else None


def warn_if_damaged() -> None:
    """Say so at the top of a page that uses the store, if the store's file is damaged anywhere (SQLite)."""
    try:
        store = _store(address())
        if not isinstance(store, SqliteRunStore):
            return
        stat = store.path.stat()
        message = _damage(store.uri, (stat.st_ino, stat.st_size, stat.st_mtime_ns))
    except (StoreError, OSError):
        return  # no store yet, or the page's own reading of the store shows the error
    if message:
        show_error(StoreError(message))
