"""Run summaries keyed by metric id: one summary for saved evaluations and training runs, and stored runs and old
exports with the old keys (test_accuracy, test_f1_macro, test_log_loss, slugs of display labels) read as ids."""

from __future__ import annotations

import json

import pytest

from evalcore.metrics import evaluate
from evalcore.metrics.registry import all_specs
from evalcore.runs import FINISHED, SqliteRunStore
from evalcore.runs.compare import runs_table
from evalcore.runs.evaluations import save_evaluation
from evalcore.runs.exchange import import_runs
from evalcore.runs.export_format import FORMAT, VERSION
from evalcore.runs.rows import decode_run
from evalcore.runs.summary import summary_of, upgrade_summary

OLD_TRAINING = {"test_accuracy": 0.9, "test_log_loss": 0.3, "test_f1_macro": 0.85, "test_rows": 60,
                "train_rows": 240, "classes": ["a", "b"], "fit_seconds": 1.5, "epochs_done": 3}
OLD_EVALUATION = {"accuracy": 0.75, "roc_auc": 0.8, "brier_score": 0.2, "r2": 0.1, "balanced_accuracy": 0.7,
                  "accuracy_interval": [0.6, 0.9], "roc_auc_interval": [0.7, 0.9], "test_accuracy": 0.75}


def test_old_training_keys_become_ids_and_the_rest_stays():
    assert upgrade_summary(OLD_TRAINING) == {"accuracy": 0.9, "log_loss": 0.3, "f1": 0.85, "test_rows": 60,
                                             "train_rows": 240, "classes": ["a", "b"], "fit_seconds": 1.5,
                                             "epochs_done": 3}


def test_old_evaluation_summary_keeps_its_ids_and_drops_the_patched_test_accuracy():
    new = upgrade_summary(OLD_EVALUATION)
    assert "test_accuracy" not in new and new["accuracy"] == 0.75
    assert new == {k: v for k, v in OLD_EVALUATION.items() if k != "test_accuracy"}


def test_display_labels_and_their_intervals_become_ids():
    assert upgrade_summary({"ROC AUC": 0.8, "Log loss_interval": [0.1, 0.2], "R²": 0.5}) == \
        {"roc_auc": 0.8, "log_loss_interval": [0.1, 0.2], "r2": 0.5}


def test_upgrading_twice_changes_nothing():
    once = upgrade_summary(OLD_TRAINING)
    assert upgrade_summary(once) == once


def test_a_new_key_wins_over_an_old_one():
    assert upgrade_summary({"accuracy": 0.8, "test_accuracy": 0.1}) == {"accuracy": 0.8}
    assert upgrade_summary({"test_accuracy": 0.1, "accuracy": 0.8}) == {"accuracy": 0.8}


@pytest.mark.parametrize("args", [([0, 1, 1, 0], [0, 1, 0, 0]), ([0.1, 2.0, 3.5], [0.2, 1.5, 3.0])])
def test_summary_of_holds_every_metric_by_id_with_its_interval(args):
    report = evaluate(*args)
    summary = summary_of(report)
    ids = {s.id for s in all_specs()}
    assert set(summary) == set(report.metrics) | {f"{k}_interval" for k in report.metrics}
    assert set(report.metrics) <= ids
    for key, est in report.metrics.items():
        assert summary[key] == est.value and summary[f"{key}_interval"] == [est.low, est.high]


def test_a_saved_evaluation_stores_ids_only(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = save_evaluation(store, "v1", "p.csv", evaluate([0, 1, 1, 0], [0, 1, 0, 0]))
    summary = store.run(run_id).summary
    assert summary["accuracy"] == 0.75 and "test_accuracy" not in summary and "accuracy_interval" in summary


def test_decoding_a_stored_row_upgrades_its_summary():
    run = decode_run({"id": 1, "name": "r", "kind": "train", "status": "finished", "created": 1.7e9,
                      "summary": json.dumps(OLD_TRAINING)})
    assert run.summary["accuracy"] == 0.9 and "test_accuracy" not in run.summary and not run.problems


def test_an_old_stored_run_still_shows_in_the_runs_table(tmp_path):
    store = SqliteRunStore(tmp_path)
    old = store.create_run("old run", "train", {"dataset": "wine"}, status=FINISHED)
    store.set_summary(old, OLD_TRAINING)  # as the worker wrote it before summaries were keyed by id
    new = store.create_run("new run", "train", {"dataset": "wine"}, status=FINISHED)
    store.set_summary(new, {"accuracy": 0.7, "log_loss": 0.5, "f1": 0.6})
    evaluation = save_evaluation(store, "v1", "p.csv", evaluate([0, 1, 1, 0], [0, 1, 0, 0]))
    table = runs_table(store).set_index("id")
    assert table.loc[old, "test acc"] == 0.9
    assert table.loc[new, "test acc"] == 0.7
    assert table.loc[evaluation, "test acc"] == 0.75


def test_importing_an_old_export_upgrades_its_summaries(tmp_path):
    doc = {"format": FORMAT, "version": VERSION, "runs": [
        {"name": "old", "kind": "train", "status": "finished", "config": {"dataset": "wine"}, "created": 1.7e9,
         "summary": OLD_TRAINING, "series": {}},
        {"name": "old evaluation", "kind": "evaluation", "status": "finished", "config": {"file": "p.csv"},
         "created": 1.7e9, "summary": OLD_EVALUATION, "series": {}}]}
    store = SqliteRunStore(tmp_path)
    first, second = import_runs(store, json.dumps(doc))
    assert store.run(first).summary == upgrade_summary(OLD_TRAINING)
    assert store.run(second).summary["accuracy"] == 0.75 and "test_accuracy" not in store.run(second).summary
