"""Real Keras runs built to go wrong, diagnosed by their curves: a small training set without regularisation
overfits, a tiny learning rate crawls; and early stopping evaluates the test set with the best epoch's model."""

from __future__ import annotations

import numpy as np

from evalcore.advice import findings as f
from evalcore.advice.run_advice import advice_for
from evalcore.runs import FINISHED, SqliteRunStore
from evalcore.runs.curves import run_curves
from evalcore.training.config import TrainConfig

import keras  # noqa: F401,E402  (a runtime requirement: missing, it fails the module, never skips it)


def _run(folder, config: TrainConfig) -> tuple[SqliteRunStore, int]:
    from evalcore.training.fit import train
    store = SqliteRunStore(folder)
    run_id = store.create_run("test", "train", config.to_dict())
    assert train(config, store, run_id).status == FINISHED
    return store, run_id


def test_a_small_training_set_without_regularisation_is_diagnosed_as_overfitting(tmp_path):
    store, run_id = _run(tmp_path, TrainConfig(dataset="digits", epochs=30, train_size=100, batch_log_seconds=1))
    advice = advice_for(store, run_id)
    kinds = [x.kind for x in advice.findings]
    assert f.OVERFITTING in kinds and f.UNDERFITTING not in kinds, [(x.kind, x.evidence) for x in advice.findings]
    first = advice.prescriptions[0].apply(TrainConfig(dataset="digits", epochs=30, train_size=100))
    assert first.augmentation.enabled and not first.augmentation.horizontal_flip  # digits: no flips


def test_a_tiny_learning_rate_is_diagnosed_as_too_low(tmp_path):
    store, run_id = _run(tmp_path, TrainConfig(dataset="digits", epochs=8, train_size=300, learning_rate=1e-5,
                                               batch_log_seconds=1))
    kinds = [x.kind for x in advice_for(store, run_id).findings]
    assert f.LR_TOO_LOW in kinds and f.OVERFITTING not in kinds, kinds


def test_early_stopping_evaluates_the_test_set_with_the_restored_epochs_model(tmp_path):
    config = TrainConfig(dataset="digits", epochs=40, train_size=100, early_stopping=3, seed=3, batch_log_seconds=1)
    store, run_id = _run(tmp_path / "a", config)
    run, curves = store.run(run_id), run_curves(store.series(run_id))
    restored = run.summary["restored_epoch"]
    assert run.summary["epochs_done"] < 40 and run.summary["epochs_done"] == restored + 3
    assert restored == curves.best_epoch("loss") == curves.restored_epoch
    # the same seed trained for exactly the restored number of epochs is the same model
    same, same_id = _run(tmp_path / "b", config.replace(epochs=restored, early_stopping=0))
    with store.open_artifact(run_id, "predictions") as a, same.open_artifact(same_id, "predictions") as b:
        pa, pb = (np.genfromtxt(x, delimiter=",", names=True, dtype=None, encoding="utf-8") for x in (a, b))
    columns = [c for c in pa.dtype.names if c.startswith("prob_")]
    np.testing.assert_allclose([pa[c] for c in columns], [pb[c] for c in columns], atol=1e-5)
    assert run.summary["accuracy"] == same.run(same_id).summary["accuracy"]
