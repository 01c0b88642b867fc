"""Train: pick a dataset, switch strategies on or off, press Train, watch the curves grow, read the results."""

from __future__ import annotations

import streamlit as st

from evalcore.errors import EvalcoreError
from ui import train_panels as panels
from ui.router import use_app_router

use_app_router()
st.title("Train a model")

settings, view = st.columns([1, 2], gap="large")
with settings:
    try:
        config = panels.settings_panel()
        panels.augmentation_preview(config)
        panels.start_button(config)
        panels.ablation_button(config)
    except EvalcoreError as exc:
        st.error(str(exc), icon=":material/block:")
with view:
    try:
        run = panels.run_picker()
        if run is not None:
            panels.run_view(run)
    except EvalcoreError as exc:
        st.error(str(exc), icon=":material/block:")
