"""Runs: every training run and saved evaluation; filter, edit, and compare selected runs."""

from __future__ import annotations

import streamlit as st

from evalcore.runs.compare import runs_table
from ui import runs_panels as panels
from ui.guard import section
from ui.router import use_app_router
from ui.store import run_store, warn_if_damaged

use_app_router()
st.title("Runs")
warn_if_damaged()

with section("comparing two prediction files"):
    panels.paired_files()
runs, selected = {}, []
with section("reading the run store"):
    store = run_store()
    panels.import_runs()
    runs = {r.id: r for r in store.runs()}
    if not runs:
        st.info("No runs yet. Start one on the Train page, or save an evaluation from the Evaluate page.")
    else:
        full = runs_table(store, list(runs.values()))
        table = panels.filters(full)
        selected = [runs[i] for i in panels.table_with_selection(table) if i in runs]
if len(selected) == 1:
    with section("editing the run"):
        panels.edit_run(selected[0])
if selected:
    with section("comparing the selected runs"):
        panels.export_selected(selected)
        panels.compare(selected)
        panels.parallel_coordinates(selected, full)
elif runs:
    st.caption("Select one or more rows to compare their curves and settings.")
if len(selected) == 2:
    panels.paired_runs(*sorted(selected, key=lambda r: r.id))
if runs:
    with section("showing the ablation studies"):
        panels.ablation_studies([r for r in runs.values() if r.kind == "train"])
