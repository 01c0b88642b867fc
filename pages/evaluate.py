"""Evaluate: upload predictions, get every metric with an interval, curves, tables and downloads."""

from __future__ import annotations

import streamlit as st

from ui import evaluate_panels as panels
from ui.cache import evaluation_of, table_of
from ui.guard import section
from ui.router import use_app_router

use_app_router()
st.title("Evaluate predictions")

with section("evaluating the file"):
    source = panels.choose_source()
    if source is not None:
        mapping = panels.column_mapping(list(table_of(source).columns), source.key)
        predictions, prepared = panels.positive_class(source, mapping, *evaluation_of(source, mapping))
        report = prepared.report(panels.threshold_controls(prepared))
        panels.headline(report, predictions.warnings)
        if report.task == "regression":
            panels.regression_panels(prepared, report, predictions.source)
        else:
            panels.classification_panels(predictions, prepared, report)
