"""Report downloads: JSON and CSV, safe to open in a spreadsheet.

Example:
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("cat")
    ("'=HYPERLINK(1)", 'cat')
"""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np

from evalcore.metrics.report import EvaluationReport

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
        "metrics": {name: est.as_dict() for name, est in report.metrics.items()},
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


def report_to_csv(report: EvaluationReport) -> str:
    """One row per metric (and per class metric): scope, metric, value, low, high, method."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scope", "metric", "value", "ci_low", "ci_high", "method", "support"])
    for name, est in report.metrics.items():
        w.writerow([safe_cell(x) for x in ("overall", name, est.value, est.low, est.high, est.method, report.n_rows)])
    for c in report.per_class:
        for name, est in (("precision", c.precision), ("recall", c.recall), ("f1", c.f1)):
            w.writerow([safe_cell(x) for x in (f"class {c.label}", name, est.value, est.low, est.high, est.method,
                                               c.support)])
    return buf.getvalue()


def frame_to_csv(frame) -> str:
    """A DataFrame as CSV with every text cell neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype) in ("str", "string"):
            safe[col] = safe[col].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    return safe.to_csv(index=False)
