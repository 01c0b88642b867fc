"""One way a page shows a failure: a message in plain text, never a traceback, and the rest of the page still works.

Each independent part of a page runs inside :func:`section`. An InputError (a bad file, a bad setting, a damaged
store) shows its message, escaped; anything else is a bug: one line on the page, the traceback in the server's
log, and the other sections still run.

Example (in a page)::

    with section("reading the runs"):
        runs = run_store().runs()
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from evalcore.errors import EvalcoreError, StoreError
from ui.text import plain

log = logging.getLogger("evalcore.ui")
UNEXPECTED = "Something unexpected went wrong"  # tests look for this: a page must never show it


def show_error(exc: BaseException) -> None:
    """An evalcore error's message as plain text (it names user files, columns and labels)."""
    icon = ":material/database:" if isinstance(exc, StoreError) else ":material/block:"
    st.error(plain(str(exc)), icon=icon)


@contextmanager
def section(doing: str) -> Iterator[None]:
    """Run one part of a page; show what failed in it, and let the page go on."""
    try:
        yield
    except EvalcoreError as exc:
        show_error(exc)
    except Exception as exc:  # a bug: say so in one line, keep the traceback for the log
        log.exception("unexpected error while %s", doing)
        st.error(f"{UNEXPECTED} while {plain(doing)} ({type(exc).__name__}). This is a bug in evalcore; the "
                 "details are in the server's log. Nothing you saved was changed.", icon=":material/bug_report:")
