"""Train: pick a dataset, switch strategies on or off, press Train, watch the curves grow, read the results."""

from __future__ import annotations

import streamlit as st

from ui import advice_panels
from ui import train_panels as panels
from ui.guard import section
from ui.router import use_app_router
from ui.store import warn_if_damaged

use_app_router()
st.title("Train a model")
warn_if_damaged()

settings, view = st.columns([1, 2], gap="large")
with settings, section("reading the settings"):
    config = panels.settings_panel()
    panels.setting_warnings(config)
    panels.augmentation_preview(config)
    request = panels.execution_panel()
    panels.start_button(config, request)
    panels.ablation_button(config, request)
run = None
with view, section("reading the runs"):
    run = panels.run_picker()
    if run is not None:
        panels.run_view(run)
if run is not None and not run.active:
    with section("showing the run's results"):  # below both columns: the results need the full width
        panels.run_results(run)
    with section("advising on the run"):
        advice_panels.advice_panel(run, request)
