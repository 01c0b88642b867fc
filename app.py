"""evalcore: the router. Each screen is a file in pages/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="evalcore", page_icon="📊", layout="wide")

navigation = st.navigation([
    st.Page("pages/evaluate.py", title="Evaluate", icon="📊", default=True),
    st.Page("pages/train.py", title="Train", icon="🏋️"),
])
navigation.run()
