"""Runs: every training run and saved evaluation; filter, edit, and compare selected runs."""

from __future__ import annotations

import streamlit as st

from ui import runs_panels as panels
from ui.guard import section
from ui.router import use_app_router
from ui.store import warn_if_damaged

use_app_router()
st.title("Runs")
warn_if_damaged()

with section("comparing two prediction files"):
    panels.paired_files()
with section("importing runs"):
    panels.import_runs()
runs, table, selected = {}, None, []
with section("reading the run store"):
    runs, table = panels.runs_and_table()
    if not runs:
        st.info("No runs yet. Start one on the Train page, or save an evaluation from the Evaluate page.")
    else:
        selected = [runs[i] for i in panels.table_with_selection(panels.filters(table)) if i in runs]
if len(selected) == 1:
    with section("editing the run"):
        panels.edit_run(selected[0])
if selected:
    with section("comparing the selected runs"):
        panels.export_selected(selected)
        panels.compare(selected)
        panels.parallel_coordinates(selected, table)
elif runs:
    st.caption("Select one or more rows to compare their curves and settings.")
if len(selected) == 2:
    with section("comparing the two runs' predictions"):
        panels.paired_runs(*sorted(selected, key=lambda r: r.id))
if runs:
    with section("showing the ablation studies"):
        panels.ablation_studies([r for r in runs.values() if r.kind == "train"])
