"""The run store of $EVALCORE_HOME, opened once per folder for the Streamlit server."""

from __future__ import annotations

import streamlit as st

from evalcore.runs import RunStore, home


@st.cache_resource
def _store(folder: str) -> RunStore:
    return RunStore(folder)


def run_store() -> RunStore:
    """The run store of $EVALCORE_HOME (read on every call, so tests and CLI overrides are honoured)."""
    return _store(str(home()))
