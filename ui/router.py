"""Make every page run under app.py's router (st.navigation), even on a deep link.

Streamlit 1.67 treats a ``pages/`` folder next to the entry script as a legacy (v1) multipage app until the
entry script first calls ``st.navigation``. So the first visitor after a server start who opens a deep link
such as ``/train`` would get the page run without app.py: the wrong sidebar and no page config. Each page calls
:func:`use_app_router` first; in that case it switches the flag and reruns, now through app.py.

AppTest resets that flag before every run by design (and runs app.py first for the default page), so there a
rerun would only drop the widget triggers of the run (a button click); the switch is skipped under AppTest.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager


def use_app_router() -> None:
    if PagesManager.uses_pages_directory and not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()
