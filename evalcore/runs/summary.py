"""A run's summary of its evaluation, keyed by metric id; and the migration of summaries stored before ids.

:func:`summary_of` is the one place that turns a report into a summary: saved evaluations
(:mod:`evalcore.runs.evaluations`) and the training worker's test set (``training/fit.py``) both use it.
:func:`upgrade_summary` reads the keys of older versions (``test_accuracy``, ``test_f1_macro``,
``test_log_loss``, and the slugs of display labels such as ``roc_auc`` or ``brier_score_interval``) as ids; it is
applied where a stored run is decoded and where an export is imported.

Example:
    >>> upgrade_summary({"test_accuracy": 0.9, "test_f1_macro": 0.8, "test_rows": 60})
    {'accuracy': 0.9, 'f1': 0.8, 'test_rows': 60}
    >>> from evalcore.metrics import evaluate
    >>> s = summary_of(evaluate([0, 1, 1, 0], [0, 1, 0, 0]))
    >>> s["accuracy"], s["accuracy_interval"] == [s["accuracy_interval"][0], s["accuracy_interval"][1]]
    (0.75, True)
"""

from __future__ import annotations

from evalcore.metrics.registry import id_of
from evalcore.metrics.report import EvaluationReport

INTERVAL = "_interval"
# keys the training worker wrote before summaries were keyed by metric id (its test set is macro-averaged)
OLD_KEYS = {"test_accuracy": "accuracy", "test_f1_macro": "f1", "test_log_loss": "log_loss"}


def summary_of(report: EvaluationReport) -> dict:
    """Every metric of the report as ``{id: value, id_interval: [low, high]}``."""
    summary: dict = {key: est.value for key, est in report.metrics.items()}
    summary.update({f"{key}{INTERVAL}": [est.low, est.high] for key, est in report.metrics.items()})
    return summary


def _new_key(key: str) -> str:
    if key in OLD_KEYS:
        return OLD_KEYS[key]
    if key.endswith(INTERVAL):
        metric_id = id_of(key[:-len(INTERVAL)])
        return f"{metric_id}{INTERVAL}" if metric_id else key
    return id_of(key) or key


def upgrade_summary(summary: dict) -> dict:
    """The summary with its metric keys as ids; other keys unchanged. Where an old and a new key name the same
    metric, the new key's value is kept (a saved evaluation stored both ``accuracy`` and ``test_accuracy``).

    >>> upgrade_summary({"test_accuracy": 0.5, "accuracy": 0.75, "ROC AUC": 0.9, "r2_interval": [0.1, 0.2]})
    {'accuracy': 0.75, 'roc_auc': 0.9, 'r2_interval': [0.1, 0.2]}
    """
    out: dict = {}
    for key, value in summary.items():
        new = _new_key(key)
        if new != key and new in summary:
            continue  # the stored new key wins
        out.setdefault(new, value)
    return out
