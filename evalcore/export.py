"""Report downloads: JSON and CSV, safe to open in a spreadsheet; and the JSON read back into a report.

Metrics are keyed by their registry id; each carries its label (:mod:`evalcore.metrics.registry`).

Example:
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("cat")
    ("'=HYPERLINK(1)", 'cat')
    >>> from evalcore.metrics import evaluate
    >>> report = evaluate([0, 1, 1, 0], [0, 1, 0, 0])
    >>> again = report_from_json(report_to_json(report))
    >>> again.metrics["accuracy"] == report.metrics["accuracy"], again.confusion.tolist()
    (True, [[2, 0], [1, 1]])
"""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np

from evalcore.metrics.registry import id_of, label_of, spec
from evalcore.metrics.report import ClassStats, Estimate, EvaluationReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formulas: text starting with = + - @ tab or CR gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
            return value  # a negative number stays a number
        except ValueError:
            return "'" + value
    return value


def _plain(x):
    if isinstance(x, (np.floating, float)):
        return None if not math.isfinite(float(x)) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def report_to_dict(report: EvaluationReport) -> dict:
    """Everything in the report as plain JSON-able values (NaN becomes null)."""
    return _plain({
        "settings": report.settings(),
        "classes": list(report.classes),
        "metrics": {key: {"label": label_of(key), **est.as_dict()} for key, est in report.metrics.items()},
        "per_class": [{"label": c.label, "support": c.support, "predicted": c.predicted,
                       "precision": c.precision.as_dict(), "recall": c.recall.as_dict(), "f1": c.f1.as_dict()}
                      for c in report.per_class],
        "confusion_matrix": report.confusion if report.confusion is not None else None,
        "curves": [{"label": c.label, "auc": c.auc, "average_precision": c.average_precision} for c in report.curves],
        "best_thresholds": {k: {"threshold": v[0], "value": v[1]} for k, v in report.best_thresholds.items()},
        "warnings": list(report.warnings),
    })


def report_to_json(report: EvaluationReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def _estimate(d: dict) -> Estimate:
    return Estimate(_number(d.get("value")), _number(d.get("low")), _number(d.get("high")), str(d.get("method", "")),
                    str(d.get("definition", "")))


def _metrics(stored: dict, average: str, pos_label: str | None) -> dict[str, Estimate]:
    """Stored metrics keyed by id (older reports: by display label), in registry order; unknown keys kept."""
    out = {}
    for key, d in stored.items():
        metric_id = id_of(key) or key
        est = _estimate(d)
        if not est.definition and id_of(metric_id):
            est = Estimate(est.value, est.low, est.high, est.method, spec(metric_id).describe(average, pos_label))
        out[metric_id] = est
    return out


def report_from_dict(doc: dict) -> EvaluationReport:
    """The report that :func:`report_to_dict` wrote: everything but the curve, calibration and histogram arrays
    (the JSON keeps only each class's AUC and AP), so a stored report shows its metrics, confusion matrix and
    per-class table without evaluating the predictions again."""
    st = doc.get("settings", {})
    average = str(st.get("averaging", "binary"))
    pos_label = st.get("positive label")
    per_class = tuple(ClassStats(str(c["label"]), _estimate(c["precision"]), _estimate(c["recall"]),
                                 _estimate(c["f1"]), int(c["support"]), int(c["predicted"]))
                      for c in doc.get("per_class", []))
    confusion = doc.get("confusion_matrix")
    return EvaluationReport(
        task=str(st.get("task", "")), n_rows=int(st.get("rows", 0)), classes=tuple(doc.get("classes", [])),
        pos_label=pos_label, threshold=st.get("threshold"), prediction_rule=str(st.get("prediction rule", "")),
        average=average, zero_division=_number(st.get("zero_division", 0.0)), clipping=str(st.get("clipping", "")),
        confidence=_number(st.get("confidence", 0.95)), n_resamples=int(st.get("bootstrap resamples", 0)),
        metrics=_metrics(doc.get("metrics", {}), average, pos_label), per_class=per_class,
        confusion=np.asarray(confusion, dtype=np.int64) if confusion is not None else None,
        best_thresholds={k: (_number(v["threshold"]), _number(v["value"]))
                         for k, v in doc.get("best_thresholds", {}).items()},
        warnings=tuple(doc.get("warnings", [])))


def report_from_json(text: str | bytes) -> EvaluationReport:
    """A report from :func:`report_to_json`'s text (a run's stored ``report`` artifact)."""
    return report_from_dict(json.loads(text))


def report_to_csv(report: EvaluationReport) -> str:
    """One row per metric (and per class metric): scope, metric, value, low, high, method."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scope", "metric", "label", "value", "ci_low", "ci_high", "method", "support"])
    for key, est in report.metrics.items():
        w.writerow([safe_cell(x) for x in ("overall", key, label_of(key), est.value, est.low, est.high, est.method,
                                           report.n_rows)])
    for c in report.per_class:
        for key, est in (("precision", c.precision), ("recall", c.recall), ("f1", c.f1)):
            w.writerow([safe_cell(x) for x in (f"class {c.label}", key, label_of(key), est.value, est.low, est.high,
                                               est.method, c.support)])
    return buf.getvalue()


def frame_to_csv(frame) -> str:
    """A DataFrame as CSV with every text cell neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype) in ("str", "string"):
            safe[col] = safe[col].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    return safe.to_csv(index=False)
