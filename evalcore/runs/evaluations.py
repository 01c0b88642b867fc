"""Saved evaluations: an Evaluate report stored as a run of kind 'evaluation', so model versions can be
tracked over time next to training runs.

Example:
    >>> import tempfile; from evalcore.metrics import evaluate
    >>> store = RunStore(tempfile.mkdtemp())
    >>> run_id = save_evaluation(store, "model v1", "preds.csv", evaluate([0, 1, 1, 0], [0, 1, 0, 0]))
    >>> run = store.run(run_id); run.kind, run.status, round(run.summary["accuracy"], 2)
    ('evaluation', 'finished', 0.75)
"""

from __future__ import annotations

from evalcore.export import report_to_json
from evalcore.metrics.report import EvaluationReport
from evalcore.runs.summary import summary_of
from evalcore.runs.store import FAILED, FINISHED, QUEUED, RunStore, store_error


def save_evaluation(store: RunStore, name: str, file_name: str, report: EvaluationReport) -> int:
    """Store the report: its metrics as the run's summary (keyed by metric id), the full report as a JSON
    artifact."""
    config = {"file": file_name, "task": report.task, "rows": report.n_rows, "classes": list(report.classes),
              "positive_class": report.pos_label, "threshold": report.threshold,
              "prediction_rule": report.prediction_rule}
    run_id = store.create_run(name, "evaluation", config, status=QUEUED)  # finished below, with its report
    summary = summary_of(report)
    path = store.run_folder(run_id) / "report.json"
    try:
        path.write_text(report_to_json(report), encoding="utf-8")
    except OSError as exc:
        store.set_status(run_id, FAILED, error="The report file could not be written.")
        raise store_error(exc, path) from exc
    store.finish(run_id, FINISHED, summary, {"report": path})
    return run_id
