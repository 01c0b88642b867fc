"""Evaluate: upload predictions, get every metric with an interval, curves, tables and downloads."""

from __future__ import annotations

import streamlit as st

from evalcore import charts
from evalcore.errors import EvalcoreError
from ui import evaluate_panels as panels
from ui.cache import cached_frame, cached_prepared, digest

st.title("Evaluate predictions")

try:
    source = panels.choose_source()
    if source is not None:
        data, name = source
        key = digest(data)
        frame = cached_frame(key, data, name)
        mapping = panels.column_mapping(list(frame.columns), key)
        mapping_key = tuple(sorted({**mapping.as_dict(),
                                    "probabilities": tuple(mapping.probabilities.items())}.items()))
        predictions, prepared = cached_prepared(key, mapping_key, None, 0.95, frame, name)
        if prepared.task == "binary":
            classes = list(prepared.classes)
            pos_label = st.selectbox("Positive class (a single score column is its probability)", classes,
                                     index=prepared.pos, key=f"eval_pos_{key}")
            if pos_label != classes[prepared.pos]:
                predictions, prepared = cached_prepared(key, mapping_key, pos_label, 0.95, frame, name)
        threshold = panels.threshold_controls(prepared) if prepared.task != "regression" else None
        report = prepared.report(threshold)
        panels.headline(report)
        for w in predictions.warnings:
            st.warning(w, icon="⚠️")
        if report.task == "regression":
            tab_fit, tab_dl = st.tabs(["Predicted vs true", "Downloads"])
            with tab_fit:
                st.plotly_chart(charts.residual_figure(prepared.y_true.astype(float), prepared.y_pred.astype(float)),
                                config=panels.PLOTLY_CONFIG)
            with tab_dl:
                panels.downloads(report)
        else:
            tabs = st.tabs(["Confusion matrix", "ROC & PR", "Calibration", "Per class", "Misclassified", "Slices",
                            "Downloads"])
            with tabs[0]:
                panels.confusion_panel(report)
            with tabs[1]:
                panels.curve_panels(report)
            with tabs[2]:
                panels.calibration_panel(report)
            with tabs[3]:
                panels.per_class_table(report)
            with tabs[4]:
                panels.misclassified_panel(predictions.frame, prepared, report)
            with tabs[5]:
                panels.slices_panel(predictions.frame, predictions.other_columns, prepared, report)
            with tabs[6]:
                panels.downloads(report)
except EvalcoreError as exc:
    st.error(str(exc), icon="🚫")
