"""Would more data help? On the digits truncated to 35% of their training rows, the learning curve's
prediction for the full training set falls inside its interval (real Keras runs, two seeds per size)."""

from __future__ import annotations

import numpy as np

from evalcore.advice.learning_curve import predict, sizes
from evalcore.runs import FINISHED, SqliteRunStore
from evalcore.training import datasets
from evalcore.training.config import TrainConfig

import keras  # noqa: F401,E402  (a runtime requirement: missing, it fails the module, never skips it)


def test_the_full_size_error_falls_inside_the_truncated_curves_prediction(tmp_path):
    from evalcore.training.fit import train
    store = SqliteRunStore(tmp_path)
    full = len(datasets.load("digits").y_train)

    def error(rows: int, seed: int) -> float:
        config = TrainConfig(dataset="digits", epochs=15, train_size=rows, seed=seed, batch_log_seconds=5)
        outcome = train(config, store, store.create_run("curve", "train", config.to_dict()))
        assert outcome.status == FINISHED
        return 1 - outcome.summary["accuracy"]

    curve = {n: [error(n, seed) for seed in (0, 1)] for n in sizes(int(full * 0.35))}
    p = predict(curve, full)
    actual = float(np.mean([error(full, seed) for seed in (0, 1)]))
    assert p.low <= actual <= p.high, (curve, p, actual)
    assert p.gain > 0  # more rows help on 35% of the digits
