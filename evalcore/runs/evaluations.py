"""Saved evaluations: an Evaluate report stored as a run of kind 'evaluation', so model versions can be
tracked over time next to training runs.

Example:
    >>> import tempfile; from evalcore.metrics import evaluate
    >>> store = open_store(tempfile.mkdtemp())
    >>> run_id = save_evaluation(store, "model v1", "preds.csv", evaluate([0, 1, 1, 0], [0, 1, 0, 0]))
    >>> run = store.run(run_id); run.kind, run.status, round(run.summary["accuracy"], 2)
    ('evaluation', 'finished', 0.75)
"""

from __future__ import annotations

from evalcore.export import report_to_json
from evalcore.metrics.report import EvaluationReport
from evalcore.errors import StoreError
from evalcore.runs.backends import open_store  # noqa: F401  (the doctest)
from evalcore.runs.summary import summary_of
from evalcore.runs.statuses import FAILED, FINISHED, QUEUED
from evalcore.runs.store import RunStore


def save_evaluation(store: RunStore, name: str, file_name: str, report: EvaluationReport) -> int:
    """Store the report: its metrics as the run's summary (keyed by metric id), the full report as a JSON
    artifact."""
    config = {"file": file_name, "task": report.task, "rows": report.n_rows, "classes": list(report.classes),
              "positive_class": report.pos_label, "threshold": report.threshold,
              "prediction_rule": report.prediction_rule}
    run_id = store.create_run(name, "evaluation", config, status=QUEUED)  # finished below, with its report
    summary = summary_of(report)
    try:
        store.put_artifact(run_id, "report", report_to_json(report).encode("utf-8"), "report.json")
    except StoreError:
        store.set_status(run_id, FAILED, error="The report file could not be written.")
        raise
    store.finish(run_id, FINISHED, summary)
    return run_id
