"""evalcore: the router. Each screen is a file in pages/."""

from __future__ import annotations

import streamlit as st

from ui.login import require_login

st.set_page_config(page_title="evalcore", page_icon=":material/analytics:", layout="wide")
require_login()  # only when .streamlit/secrets.toml names an identity provider ([auth])

navigation = st.navigation([
    st.Page("pages/evaluate.py", title="Evaluate", icon=":material/analytics:", default=True),
    st.Page("pages/train.py", title="Train", icon=":material/model_training:"),
    st.Page("pages/runs.py", title="Runs", icon=":material/table_chart:"),
], position="top")  # the pages in a top bar: at 800 px a sidebar would take 300 px from the charts
navigation.run()
