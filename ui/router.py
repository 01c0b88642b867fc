"""Make every page run under app.py's router (st.navigation), even on a deep link.

Streamlit 1.67 treats a ``pages/`` folder next to the entry script as a legacy (v1) multipage app until the
entry script first calls ``st.navigation``. So the first visitor after a server start who opens a deep link
such as ``/train`` would get the page run without app.py: the wrong sidebar and no page config. Each page calls
:func:`use_app_router` first; in that case it switches the flag and reruns, now through app.py.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def use_app_router() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
