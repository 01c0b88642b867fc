"""The run store of $EVALCORE_HOME, opened once per folder for the Streamlit server, and checked once."""

from __future__ import annotations

from pathlib import Path

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


@st.cache_resource(max_entries=4)
def _damage(folder: str, version: tuple) -> str | None:
    """The store's quick check, once per version of the file (its inode, size and modification time): a damaged
    page may sit where no page reads yet. A recovered or restored file is a new version, checked again."""
    store = _store(folder)
    return str(store_error(None, store.path)) if store.quick_check() else None


def warn_if_damaged() -> None:
    """Say so at the top of a page that uses the store, if the store's file is damaged anywhere."""
    folder = str(home())
    try:
        stat = (Path(folder) / "runs.sqlite").stat()
        message = _damage(folder, (stat.st_ino, stat.st_size, stat.st_mtime_ns))
    except (StoreError, OSError):
        return  # no store yet, or the page's own reading of the store shows the error
    if message:
        show_error(StoreError(message))
