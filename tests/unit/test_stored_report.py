"""The evaluation report stored as JSON (the worker's `report` artifact, a saved evaluation's report.json) reads
back as the report the Train page shows: metrics by id, per-class table, confusion matrix, settings, warnings."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from evalcore.runs import SqliteRunStore
from evalcore.export import report_from_json, report_to_csv, report_to_json
from evalcore.metrics import evaluate
from evalcore.metrics.registry import label_of


def _cases():
    rng = np.random.default_rng(0)
    y3 = rng.choice(["cat", "dog", "bird"], 200)
    p3 = rng.dirichlet(np.ones(3), 200)
    return {
        "binary scores": evaluate(rng.integers(0, 2, 150), y_score=rng.random(150), threshold=0.4),
        "multiclass probabilities": evaluate(y3, y_score=p3, labels=["bird", "cat", "dog"]),
        "labels only, a class only predicted": evaluate(["a", "a", "b"], ["a", "c", "b"]),
        "one class in the truth": evaluate(["1", "1", "1", "1"], y_score=[0.2, 0.7, 0.9, 0.6], labels=["0", "1"]),
        "regression": evaluate([0.5, 1.5, 2.0, 3.1], [0.4, 1.7, 2.2, 2.9]),
    }


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("case", sorted(_cases()))
def test_the_stored_report_reads_back_as_the_report(case):
    report = _cases()[case]
    again = report_from_json(report_to_json(report))
    assert list(again.metrics) == list(report.metrics)
    for key, est in report.metrics.items():
        got = again.metrics[key]
        assert all(_same(x, y) for x, y in zip((got.value, got.low, got.high), (est.value, est.low, est.high))), key
        assert (got.method, got.definition) == (est.method, est.definition)
    assert again.per_class == report.per_class
    if report.confusion is None:
        assert again.confusion is None
    else:
        np.testing.assert_array_equal(again.confusion, report.confusion)
    assert again.settings() == report.settings() and again.classes == report.classes
    assert again.warnings == report.warnings and again.best_thresholds == report.best_thresholds
    assert json.loads(report_to_json(again))["metrics"] == json.loads(report_to_json(report))["metrics"]


def test_the_json_is_keyed_by_id_with_the_label_inside():
    doc = json.loads(report_to_json(evaluate([0, 1, 1, 0], y_score=[0.2, 0.9, 0.4, 0.6])))
    assert doc["metrics"]["roc_auc"]["label"] == "ROC AUC" and "ROC AUC" not in doc["metrics"]


def test_a_report_stored_with_display_labels_reads_with_ids():
    doc = json.loads(report_to_json(evaluate([0, 1, 1, 0], y_score=[0.2, 0.9, 0.4, 0.6])))
    doc["metrics"] = {label_of(k): {x: v for x, v in d.items() if x not in ("label", "definition")}
                      for k, d in doc["metrics"].items()}
    again = report_from_json(json.dumps(doc))
    assert again.metrics["accuracy"].value == 0.5 and again.metrics["roc_auc"].value == 0.75
    assert again.metrics["roc_auc"].definition.startswith("Area under the ROC curve")


def test_the_csv_names_each_metric_by_id_and_label():
    lines = report_to_csv(evaluate([0, 1, 1, 0], [0, 1, 0, 0])).splitlines()
    assert lines[0].startswith("scope,metric,label,value")
    assert any(line.startswith("overall,balanced_accuracy,Balanced accuracy,") for line in lines)


def test_the_train_page_shows_the_stored_report_and_evaluates_old_runs_again(tmp_path: Path):
    from ui.cache import run_report
    store = SqliteRunStore(tmp_path)
    old, new = store.create_run("old", "train", {}), store.create_run("new", "train", {})
    predictions = b"y_true,y_pred\na,a\nb,a\nb,b\na,a\n"
    for run_id in (old, new):
        store.put_artifact(run_id, "predictions", predictions, "predictions.csv")
    fresh = evaluate(["a", "b", "b", "a"], ["a", "a", "b", "a"])
    assert run_report(store, old).metrics["accuracy"].value == 0.75  # an old run: evaluated
    doc = json.loads(report_to_json(fresh))
    doc["metrics"]["accuracy"]["value"] = 0.123  # not what the predictions give: proves it is not re-evaluated
    store.put_artifact(new, "report", json.dumps(doc).encode(), "report.json")
    report = run_report(store, new)
    assert report.metrics["accuracy"].value == 0.123
    np.testing.assert_array_equal(report.confusion, fresh.confusion)
