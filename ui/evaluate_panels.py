"""Widget groups and result panels of the Evaluate page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from evalcore import charts
from evalcore.export import frame_to_csv, report_to_csv, report_to_json
from evalcore.metrics.evaluation import Prepared
from evalcore.metrics.registry import label_of
from evalcore.metrics.report import EvaluationReport
from evalcore.predictions import ColumnMap, Predictions, class_of_column, detect_columns
from evalcore.predictions.columns import FORMAT_HELP, PROB
from evalcore.samples import SAMPLES
from evalcore.runs.evaluations import save_evaluation
from evalcore.slices import metrics_by_group
from ui.cache import Source, evaluation_of, upload_source
from ui.guard import section
from ui.store import run_store
from ui.text import fmt, plain

NONE = "(none)"
PREDICTION_TYPES = ["csv", "tsv", "txt", "gz", "parquet", "pq"]  # what read_predictions reads
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def choose_source() -> Source | None:
    """Upload a file or pick a sample; None until there is one."""
    mode = st.radio("Predictions", ["Upload a file", "Try a sample"], horizontal=True, key="eval_source",
                    label_visibility="collapsed")
    if mode == "Upload a file":
        up = st.file_uploader("Predictions file (CSV, TSV, .csv.gz or Parquet)",
                              type=PREDICTION_TYPES, key="eval_upload",
                              help=FORMAT_HELP)
        if up is None:
            st.info("Upload a predictions file, or choose **Try a sample** to see a real model's evaluation.")
            return None
        return upload_source(up)
    name = st.selectbox("Sample", list(SAMPLES), key="eval_sample")
    path = SAMPLES[name]
    return Source(f"sample-{path.stem}", path.name, path.read_bytes)


def column_mapping(columns: list[str], file_key: str) -> ColumnMap:
    """Detected column roles, with a manual override (widgets are per file, so a new file starts fresh)."""
    detected = detect_columns(columns)
    with st.expander("Columns: " + _describe(detected), expanded=detected.y_true is None):
        options = [NONE] + columns
        c1, c2, c3 = st.columns(3)
        y_true = c1.selectbox("True label", options, index=options.index(detected.y_true or NONE), key=f"map_true_{file_key}")
        y_pred = c2.selectbox("Predicted label", options, index=options.index(detected.y_pred or NONE),
                              key=f"map_pred_{file_key}")
        score_modes = ["One score column (binary)", "One probability column per class", "No scores"]
        default_mode = 1 if detected.probabilities else (0 if detected.score else 2)
        mode = c3.selectbox("Scores", score_modes, index=default_mode, key=f"map_score_mode_{file_key}")
        score, probabilities = None, {}
        if mode == score_modes[0]:
            score_col = st.selectbox("Score column", options, key=f"map_score_{file_key}",
                                     index=options.index(detected.score or NONE))
            score = None if score_col == NONE else score_col
        elif mode == score_modes[1]:
            default = list(detected.probabilities.values())
            chosen = st.multiselect(f"Probability columns (column name after {PROB} is the class)", columns,
                                    default=default, key=f"map_probs_{file_key}")
            probabilities = {class_of_column(c): c for c in chosen}
    return ColumnMap(None if y_true == NONE else y_true, None if y_pred == NONE else y_pred, score, probabilities)


def _describe(m: ColumnMap) -> str:
    parts = [f"true = {m.y_true}" if m.y_true else "true label not found"]
    if m.y_pred:
        parts.append(f"predicted = {m.y_pred}")
    if m.score:
        parts.append(f"score = {m.score}")
    if m.probabilities:
        parts.append(f"{len(m.probabilities)} probability columns")
    return plain(", ".join(parts))


def positive_class(source: Source, mapping: ColumnMap, predictions: Predictions,
                   prepared: Prepared) -> tuple[Predictions, Prepared]:
    """Binary tasks: let the user pick the positive class (re-evaluated, cached per choice)."""
    if prepared.task != "binary":
        return predictions, prepared
    classes = list(prepared.classes)
    chosen = st.selectbox("Positive class (a single score column is its probability)", classes,
                          index=prepared.pos, key=f"eval_pos_{source.key}")
    if chosen == classes[prepared.pos]:
        return predictions, prepared
    return evaluation_of(source, mapping, chosen)


def slider_scale(lo: float, hi: float) -> tuple[float, float, float, float, int]:
    """(min, max, step, default, decimals) of a threshold slider over scores in [lo, hi]: a round step of about
    1/200 of the range (1, 2 or 5 x 10^k), bounds and default on that step, so the value the slider shows is
    the value the metrics use.

    >>> slider_scale(0.01, 99.99)
    (0.0, 100.0, 0.5, 50.0, 1)
    >>> slider_scale(-3.2, 7.9)
    (-3.2, 7.9, 0.1, 2.4, 1)
    """
    raw = (hi - lo) / 200 or 0.01
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    low, high = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    default = round((low + high) / 2 / step) * step
    return round(low, decimals), round(high, decimals), round(step, decimals), round(default, decimals), decimals


def threshold_controls(prepared: Prepared) -> float | None:
    """Threshold slider (binary with scores) with the best-threshold hints."""
    if not prepared.has_threshold:
        return None
    lo, hi = float(prepared.score.min()), float(prepared.score.max())
    if lo >= 0 and hi <= 1:
        lo, hi, step, default, decimals = 0.0, 1.0, 0.005, 0.5, 3
    else:
        lo, hi, step, default, decimals = slider_scale(lo, hi)
    threshold = st.slider(f"Decision threshold: predict '{plain(prepared.classes[prepared.pos])}' when its score ≥",
                          min_value=lo, max_value=hi, value=default, step=step, key="eval_threshold",
                          format=f"%.{decimals}f")
    if prepared.best_thresholds:
        st.caption("  ·  ".join(f"Best for {k}: threshold {t:.{decimals}f} ({k} {v:.3f})"
                                for k, (t, v) in prepared.best_thresholds.items()))
    return round(threshold, decimals)


def headline(report: EvaluationReport, file_warnings: tuple[str, ...] = ()) -> None:
    """The headline metrics as st.metric tiles, each with its interval and definition, then any warnings."""
    ids = list(report.metrics)  # registry order
    pct = int(round(report.confidence * 100))
    for start in range(0, len(ids), 5):
        cols = st.columns(5)
        for col, metric_id in zip(cols, ids[start:start + 5]):
            est = report.metrics[metric_id]
            help_text = plain(f"{est.definition}\n\n{pct}% interval: {est.method}.")
            col.metric(label_of(metric_id), fmt(est.value), help=help_text)
            col.caption(f"{pct}% CI {fmt(est.low)} – {fmt(est.high)}")
    settings = report.settings()
    bits = [f"{report.n_rows:,} rows", f"task: {report.task}"]
    if report.pos_label is not None:
        bits.append(f"positive class: '{report.pos_label}'")
    bits.append(f"predictions: {report.prediction_rule}")
    if report.task != "regression":  # averaging, zero_division and clipping are classification's settings
        bits += [f"averaging: {settings['averaging']}", "zero_division: 0", settings["clipping"]]
    st.caption(plain(" · ".join(bits)))
    for w in (*report.warnings, *file_warnings):
        st.warning(plain(w), icon=":material/warning:")


def confusion_panel(report: EvaluationReport) -> None:
    c1, c2 = st.columns([1, 1])
    norm = c1.radio("Colour by", ["count", "row % (recall)", "column % (precision)"], horizontal=True,
                    key="cm_norm")
    order = c2.radio("Class order", ["natural", "by support", "by error"], horizontal=True, key="cm_order")
    cm = report.confusion
    idx = np.arange(len(report.classes))
    if order == "by support":
        idx = np.argsort(-cm.sum(axis=1), kind="stable")
    elif order == "by error":
        errors = cm.sum(axis=1) - np.diag(cm)
        idx = np.argsort(-errors, kind="stable")
    fig = charts.confusion_matrix_figure(cm[np.ix_(idx, idx)], [report.classes[i] for i in idx],
                                         {"count": "none", "row % (recall)": "true"}.get(norm, "pred"))
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key="cm_chart")


def curve_panels(report: EvaluationReport) -> None:
    if not report.curves:
        st.info(f"Curves need scores or probabilities: map a score column or {PROB}<class> columns.")
        return
    op_roc = op_pr = None
    if report.threshold is not None and report.task == "binary":
        cm = report.confusion
        pos, neg = report.classes.index(report.pos_label), 1 - report.classes.index(report.pos_label)
        tp, fp, fn, tn = cm[pos, pos], cm[neg, pos], cm[pos, neg], cm[neg, neg]
        tpr = tp / (tp + fn) if tp + fn else np.nan
        op_roc = (fp / (fp + tn) if fp + tn else np.nan, tpr)
        op_pr = (tpr, tp / (tp + fp) if tp + fp else 1.0)
    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.roc_figure(report.curves, op_roc), config=PLOTLY_CONFIG, key="roc_chart")
    c2.plotly_chart(charts.pr_figure(report.curves, op_pr), config=PLOTLY_CONFIG, key="pr_chart")


def calibration_panel(report: EvaluationReport) -> None:
    if not report.calibration:
        st.info("Calibration needs probabilities in [0, 1].")
        return
    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.calibration_figure(report.calibration), config=PLOTLY_CONFIG, key="cal_chart")
    hists = {h.label: h for h in report.histograms}
    label = report.pos_label if report.pos_label in hists else c2.selectbox("Score of class", list(hists),
                                                                             key="hist_class")
    c2.plotly_chart(charts.score_histogram_figure(hists[label], report.threshold), config=PLOTLY_CONFIG,
                    key="hist_chart")


def per_class_table(report: EvaluationReport) -> pd.DataFrame:
    rows = []
    for c in report.per_class:
        rows.append({"class": c.label, "support": c.support, "predicted": c.predicted,
                     "precision": c.precision.value, "precision low": c.precision.low,
                     "precision high": c.precision.high, "recall": c.recall.value, "recall low": c.recall.low,
                     "recall high": c.recall.high, "F1": c.f1.value, "F1 low": c.f1.low, "F1 high": c.f1.high})
    table = pd.DataFrame(rows)
    pct = int(round(report.confidence * 100))
    st.caption(f"Click a column header to sort. Intervals are {pct}% bootstrap intervals over the confusion matrix.")
    fmt3 = st.column_config.NumberColumn(format="%.3f")
    st.dataframe(table, hide_index=True, key="per_class_table",
                 column_config={k: fmt3 for k in table.columns if k not in ("class", "support", "predicted")})
    return table


def misclassified_panel(frame: pd.DataFrame, prepared: Prepared, report: EvaluationReport) -> None:
    pred = prepared.predicted_codes(report.threshold)
    wrong = pred != prepared.codes_true
    if not wrong.any():
        st.success("No misclassified rows.")
        return
    classes = list(report.classes)
    cm = report.confusion.copy()
    np.fill_diagonal(cm, 0)
    cells = sorted(((int(cm[t, p]), t, p) for t, p in zip(*np.nonzero(cm))), reverse=True)
    options = ["all errors"] + [f"true {classes[t]} → predicted {classes[p]} ({n:,})" for n, t, p in cells]
    choice = st.selectbox("Confusion-matrix cell", options, key="mis_cell")
    mask = wrong
    if choice != "all errors":
        _, t, p = cells[options.index(choice) - 1]
        mask = (prepared.codes_true == t) & (pred == p)
    rows = np.flatnonzero(mask)
    shown = misclassified_rows(frame, rows[:1000], classes, prepared.codes_true, pred)
    st.caption(f"{len(rows):,} rows" + (" (first 1,000 shown; download for all)" if len(rows) > 1000 else ""))
    st.dataframe(shown, hide_index=True, key="mis_table")
    if st.toggle(f"Prepare a CSV of these {len(rows):,} rows", key="mis_prepare"):
        full = misclassified_rows(frame, rows, classes, prepared.codes_true, pred)
        st.download_button("Download these rows (CSV)", frame_to_csv(full), "misclassified.csv", "text/csv",
                           key="mis_download")


def misclassified_rows(frame: pd.DataFrame, rows: np.ndarray, classes: list[str], codes_true: np.ndarray,
                       pred: np.ndarray) -> pd.DataFrame:
    """The file's ``rows`` with their row number (from 1), true and predicted class first; the reader's label
    columns (Categoricals) as plain text, as the file has them (the grid draws padded categories as blanks)."""
    table = frame.iloc[rows].copy()
    for col in table.columns:
        if isinstance(table[col].dtype, pd.CategoricalDtype):
            table[col] = table[col].astype("str")
    table.insert(0, "row", rows + 1)
    table.insert(1, "true", [classes[i] for i in codes_true[rows]])
    table.insert(2, "predicted", [classes[i] for i in pred[rows]])
    return table.reset_index(drop=True)


def slices_panel(frame: pd.DataFrame, other_columns: list[str], prepared: Prepared,
                 report: EvaluationReport) -> None:
    if not other_columns:
        st.info("The file has no other columns to slice by.")
        return
    col = st.selectbox("Slice by column", other_columns, key="slice_col", index=None,
                       placeholder="Choose a column to compare groups")
    if col is None:
        return
    table = metrics_by_group(prepared, frame[col].to_numpy(), report.threshold)
    pct = int(round(report.confidence * 100))
    st.caption(f"Metrics per value of '{plain(col)}' with {pct}% intervals; the 50 largest groups, the rest pooled.")
    st.dataframe(table, hide_index=True, key="slice_table",
                 column_config={k: st.column_config.NumberColumn(format="%.3f") for k in table.columns
                                if k not in ("group", "rows")})


def downloads(report: EvaluationReport, file_name: str) -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Report (JSON)", report_to_json(report), "evaluation.json", "application/json",
                       key="dl_json")
    c2.download_button("Metrics (CSV)", report_to_csv(report), "evaluation.csv", "text/csv", key="dl_csv")
    st.caption("Each chart downloads as PNG from its toolbar (camera icon).")
    with section("saving the evaluation as a run"):  # needs the run store; the rest of Evaluate does not
        save_as_run(report, file_name)


def save_as_run(report: EvaluationReport, file_name: str) -> None:
    """Keep this evaluation as a run (kind 'evaluation') on the Runs page, to track model versions over time."""
    c1, c2 = st.columns([3, 1])
    name = c1.text_input("Run name", value=file_name, key="save_run_name")
    c2.markdown("&nbsp;")
    if c2.button("Save as run", key="save_run", use_container_width=True):
        run_id = save_evaluation(run_store(), name.strip() or file_name, file_name, report)
        st.success(f"Saved as run #{run_id}: see the Runs page.", icon=":material/check_circle:")


CLASSIFICATION_TABS = ("Confusion matrix", "ROC & PR", "Calibration", "Per class", "Misclassified", "Slices",
                       "Downloads")
REGRESSION_TABS = ("Predicted vs true", "Downloads")
TAB_KEY = "eval_tab"


def _open_tab(labels: tuple[str, ...]):
    """Tabs that run only the selected tab's content (so a slider move redraws one chart, not five)."""
    for label, tab in zip(labels, st.tabs(list(labels), key=TAB_KEY, on_change="rerun")):
        if tab.open:
            return label, tab
    return labels[0], None


def regression_panels(prepared, report: EvaluationReport, source_name: str) -> None:
    label, tab = _open_tab(REGRESSION_TABS)
    if tab is None:
        return
    with tab:
        if label == "Predicted vs true":
            st.plotly_chart(charts.residual_figure(prepared.y_true.astype(float), prepared.y_pred.astype(float)),
                            config=PLOTLY_CONFIG, key="fit_chart")
        else:
            downloads(report, source_name)


def classification_panels(predictions: Predictions, prepared: Prepared, report: EvaluationReport) -> None:
    tabs = tuple(t for t in CLASSIFICATION_TABS if t != "Calibration" or report.has_calibration)
    label, tab = _open_tab(tabs)
    if tab is None:
        return
    render = {
        "Confusion matrix": lambda: confusion_panel(report),
        "ROC & PR": lambda: curve_panels(report),
        "Calibration": lambda: calibration_panel(report),
        "Per class": lambda: per_class_table(report),
        "Misclassified": lambda: misclassified_panel(predictions.frame, prepared, report),
        "Slices": lambda: slices_panel(predictions.frame, predictions.other_columns, prepared, report),
        "Downloads": lambda: downloads(report, predictions.source),
    }
    with tab:
        render[label]()
