"""Runs: every training run and saved evaluation; filter, edit, and compare selected runs."""

from __future__ import annotations

import streamlit as st

from evalcore.errors import EvalcoreError
from evalcore.runs.compare import runs_table
from ui import runs_panels as panels
from ui.router import use_app_router
from ui.store import run_store

use_app_router()
st.title("Runs")

try:
    store = run_store()
    runs = {r.id: r for r in store.runs()}
    panels.paired_files()
    panels.import_runs()
    if not runs:
        st.info("No runs yet. Start one on the Train page, or save an evaluation from the Evaluate page.")
    else:
        full = runs_table(store, list(runs.values()))
        table = panels.filters(full)
        selected = [runs[i] for i in panels.table_with_selection(table) if i in runs]
        if len(selected) == 1:
            panels.edit_run(selected[0])
        if selected:
            panels.export_selected(selected)
            panels.compare(selected)
            panels.parallel_coordinates(selected, full)
        else:
            st.caption("Select one or more rows to compare their curves and settings.")
        if len(selected) == 2:
            panels.paired_runs(*sorted(selected, key=lambda r: r.id))
        panels.ablation_studies([r for r in runs.values() if r.kind == "train"])
except EvalcoreError as exc:
    st.error(str(exc), icon=":material/block:")
