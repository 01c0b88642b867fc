"""A stored run's advice: its curves and test-set report read from the store, diagnosed and prescribed for.

Example:
    >>> from evalcore.runs import SqliteRunStore
    >>> import tempfile
    >>> store = SqliteRunStore(tempfile.mkdtemp())
    >>> advice_for(store, store.create_run("new", "train", {})).findings
    []
"""

from __future__ import annotations

from dataclasses import dataclass

from evalcore.advice.findings import Finding, diagnose
from evalcore.advice.prescriptions import Prescription, prescribe
from evalcore.errors import InputError
from evalcore.export import report_from_json
from evalcore.runs import RunStore
from evalcore.runs.curves import RunCurves, run_curves
from evalcore.training.config import TrainConfig


@dataclass(frozen=True)
class Advice:
    findings: list[Finding]
    prescriptions: list[Prescription]
    curves: RunCurves


def recall_on_test_set(store: RunStore, run_id: int) -> dict[str, float]:
    """Per-class recall of the run's stored test-set report ({} without one, or with a damaged one)."""
    if "report" not in store.artifacts(run_id):
        return {}
    try:
        with store.open_artifact(run_id, "report") as f:
            report = report_from_json(f.read())
    except (InputError, ValueError, KeyError, TypeError):
        return {}
    return {c.label: c.recall.value for c in report.per_class}


def advice_for(store: RunStore, run_id: int) -> Advice:
    """What the run's curves and test set say, and what should help (settings the store cannot read: no
    prescriptions, the findings still)."""
    run = store.run(run_id)
    curves = run_curves(store.series(run_id))
    config: TrainConfig | None = None
    try:
        config = TrainConfig.from_dict(run.config)
        config.validate()
    except (InputError, TypeError):
        config = None
    classes = run.summary.get("classes")
    found = diagnose(curves, classes=len(classes) if isinstance(classes, list) and classes else None,
                     schedule_on=bool(config and config.schedule.enabled), recall=recall_on_test_set(store, run_id))
    return Advice(found, prescribe(found, config) if config is not None else [], curves)
