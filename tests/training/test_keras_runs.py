"""Real Keras training on tiny data: each strategy changes the model as it should and the run is logged."""

from __future__ import annotations

import tarfile
import time

import numpy as np
import pytest

from evalcore.predictions import read_predictions
from evalcore.runs import FAILED, FINISHED, SqliteRunStore
from evalcore.runs.curves import run_curves
from evalcore.training import launch
from evalcore.training.config import L2, Augmentation, Dropout, Schedule, TrainConfig, Transfer
from evalcore.training.strategies.schedule import planned_rates

import keras  # noqa: E402  (a runtime requirement: missing, it fails the module, never skips it)


def _run(tmp_path, config: TrainConfig):
    from evalcore.training.fit import train
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("test", "train", config.to_dict())
    outcome = train(config, store, run_id)
    return store, run_id, outcome


def _model(config: TrainConfig, shape=(28, 28, 1), kind="image"):
    from evalcore.training.model import build_model
    return build_model(config, shape, 10, kind)


def test_baseline_run_logs_curves_predictions_and_summary(tmp_path):
    config = TrainConfig(dataset="digits", epochs=2, train_size=120, batch_log_seconds=0)
    store, run_id, outcome = _run(tmp_path, config)
    assert outcome.status == FINISHED and outcome.error is None
    run = store.run(run_id)
    assert run.status == FINISHED and run.summary["test_rows"] == 360 and 0 <= run.summary["accuracy"] <= 1
    curves = run_curves(store.series(run_id))
    assert curves.epochs.tolist() == [1, 2] and curves.planned_epochs == 2
    assert np.isfinite(curves.train["loss"]).all() and np.isfinite(curves.val["accuracy"]).all()
    assert len(curves.batch["loss"]) == 2 * 4  # batch_log_seconds=0: every batch (120 rows / 32 = 4 batches)
    with store.open_artifact(run_id, "predictions") as f:  # the Evaluate page reads it
        predictions = read_predictions(f.read(), name=store.artifacts(run_id)["predictions"].file_name)
    assert predictions.task == "multiclass" and len(predictions.frame) == 360
    from evalcore.export import report_from_json
    with store.open_artifact(run_id, "report") as f:
        report = report_from_json(f.read())  # the Train page shows it
    assert report.n_rows == 360 and int(report.confusion.sum()) == 360
    assert report.metrics["accuracy"].value == run.summary["accuracy"]
    assert run.summary["f1"] == report.metrics["f1"].value
    assert run.summary["log_loss"] == report.metrics["log_loss"].value


def test_each_run_reports_its_cpu_time_and_its_own_peak_memory(tmp_path):
    from evalcore.training.fit import peak_memory_mb, reset_peak_memory
    reset_peak_memory()
    held = peak_memory_mb()  # what the process holds now (Keras imported)
    big = np.ones(50_000_000)  # 400 MB, then freed: a previous run's peak
    assert peak_memory_mb() >= held + 350
    del big
    store, run_id, _ = _run(tmp_path, TrainConfig(dataset="iris", epochs=2))
    summary = store.run(run_id).summary
    assert 0 < summary["cpu_seconds"]
    assert held / 2 < summary["peak_memory_mb"] < held + 300  # its own peak, not the 400 MB before it


def test_augmentation_layers_are_in_the_model_and_train_only():
    config = TrainConfig(augmentation=Augmentation(enabled=True))
    model = _model(config)
    names = [type(layer).__name__ for layer in model.layers]
    assert names[1:6] == ["RandomRotation", "RandomTranslation", "RandomShear", "RandomZoom", "RandomFlip"]
    x = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(model(x, training=False), model(x, training=False))  # inference: no randomness


def test_l2_adds_a_penalty_per_regularised_layer():
    plain = _model(TrainConfig())
    dense_only = _model(TrainConfig(l2=L2(enabled=True, factor=0.01)))
    with_conv = _model(TrainConfig(l2=L2(enabled=True, factor=0.01, conv=True)))
    assert len(plain.losses) == 0 and len(dense_only.losses) == 2 and len(with_conv.losses) == 4
    w = dense_only.get_layer("head_hidden").kernel
    expected = 0.01 * float(np.sum(np.square(keras.ops.convert_to_numpy(w))))
    assert float(keras.ops.convert_to_numpy(dense_only.losses[0])) == pytest.approx(expected, rel=1e-5)


def test_dropout_layer_with_its_rate():
    model = _model(TrainConfig(dropout=Dropout(enabled=True, rate=0.3)))
    assert model.get_layer("dropout").rate == 0.3
    assert "dropout" not in [layer.name for layer in _model(TrainConfig()).layers]


def test_transfer_base_is_frozen_unless_fine_tuned():
    frozen = _model(TrainConfig(transfer=Transfer(enabled=True)))
    tuned = _model(TrainConfig(transfer=Transfer(enabled=True, fine_tune_layers=1)))
    head = 4  # kernel and bias of the two dense layers
    assert len(frozen.trainable_weights) == head
    assert len(tuned.trainable_weights) == head + 2  # the top conv layer's kernel and bias
    base = next(layer for layer in frozen.layers if layer.name == "mnist04_base")
    from evalcore.training.bases import SHIPPED_BASE
    shipped = keras.models.load_model(SHIPPED_BASE)
    for a, b in zip(base.weights, shipped.weights):  # really the pretrained weights, not a fresh init
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))


def test_transfer_run_on_the_digits_5_to_9_trains_the_head_only(tmp_path):
    config = TrainConfig(dataset="mnist59", epochs=2, train_size=60, transfer=Transfer(enabled=True))
    store, run_id, outcome = _run(tmp_path, config)
    assert outcome.status == FINISHED
    assert outcome.summary["accuracy"] > 0.5  # 60 images: the pretrained features do the work


@pytest.mark.parametrize("kind", ["seed", "step", "cosine"])
def test_the_learning_rate_used_each_epoch_is_the_schedule(tmp_path, kind):
    schedule = Schedule(enabled=True, kind=kind, hold_epochs=1, step_every=1, decay=0.5)
    config = TrainConfig(dataset="iris", epochs=3, learning_rate=0.01, schedule=schedule)
    store, run_id, outcome = _run(tmp_path, config)
    assert outcome.status == FINISHED
    used = run_curves(store.series(run_id)).lr
    np.testing.assert_allclose(used, planned_rates(schedule, 0.01, 3), rtol=1e-6)


def test_reduce_on_plateau_lowers_the_rate_when_validation_stalls(tmp_path):
    schedule = Schedule(enabled=True, kind="plateau", plateau_patience=1, plateau_factor=0.5, min_lr=1e-9)
    config = TrainConfig(dataset="iris", epochs=6, learning_rate=1e-6, schedule=schedule)  # improves < min_delta
    store, run_id, outcome = _run(tmp_path, config)
    used = run_curves(store.series(run_id)).lr
    assert used[0] == pytest.approx(1e-6, rel=1e-6) and used[-1] <= used[0] / 2


def test_nan_loss_stops_the_run_and_says_why(tmp_path):
    config = TrainConfig(dataset="breast_cancer", optimizer="sgd", learning_rate=10.0, epochs=5)
    store, run_id, outcome = _run(tmp_path, config)
    run = store.run(run_id)
    assert run.status == FAILED and "NaN" in run.error and "lower the learning rate" in run.error
    assert len(store.series(run_id)["batch/loss"].values) >= 1  # what was logged stays


def test_tensorboard_event_files(tmp_path):
    config = TrainConfig(dataset="iris", epochs=1, tensorboard=True)
    store, run_id, outcome = _run(tmp_path, config)
    assert outcome.status == FINISHED
    assert list((launch.run_workspace(store, run_id) / "tensorboard").rglob("events.out.tfevents.*"))
    with tarfile.open(fileobj=store.open_artifact(run_id, "tensorboard"), mode="r:gz") as stored:  # in the store too
        assert any("events.out.tfevents." in name for name in stored.getnames())


def test_same_seed_same_run(tmp_path):
    config = TrainConfig(dataset="wine", epochs=2, dropout=Dropout(enabled=True), seed=7)
    a = _run(tmp_path / "a", config)
    b = _run(tmp_path / "b", config)
    la = a[0].series(a[1])["epoch/loss"].values
    lb = b[0].series(b[1])["epoch/loss"].values
    np.testing.assert_allclose(la, lb, rtol=1e-6)


class _SlowStopReads:
    """A real store whose stop-flag reads take ``delay`` seconds, as a round trip to a loaded server does."""

    def __init__(self, store: SqliteRunStore, delay: float):
        self.store, self.delay, self.reads = store, delay, 0

    def stop_requested(self, run_id: int) -> bool:
        self.reads += 1
        if self.delay:
            time.sleep(self.delay)
        return self.store.stop_requested(run_id)

    def __getattr__(self, name):
        return getattr(self.store, name)


def _fit_counting_reads(tmp_path, delay: float) -> tuple[int, int, float]:
    """(stop-flag reads, batches, seconds) of a fit with the live logger on a store whose reads take ``delay``."""
    from evalcore.training import datasets
    from evalcore.training.callbacks import LiveLogger
    config = TrainConfig(dataset="wine", epochs=6, batch_size=4)
    data = datasets.load("wine")
    store = _SlowStopReads(SqliteRunStore(tmp_path), delay)
    run_id = store.create_run("reads", "train", config.to_dict())
    model = _model(config, data.input_shape, "tabular")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    t0 = time.perf_counter()
    history = model.fit(data.x_train, data.y_train, epochs=config.epochs, batch_size=4, verbose=0,
                        callbacks=[LiveLogger(store, run_id)])
    batches = config.epochs * int(np.ceil(len(data.x_train) / 4))
    assert len(history.history["loss"]) == config.epochs
    return store.reads, batches, time.perf_counter() - t0


def test_the_stop_flag_is_read_often_when_reads_are_cheap_and_at_most_five_times_a_second_when_slow(tmp_path):
    fast, batches, _ = _fit_counting_reads(tmp_path / "fast", 0.0)
    slow, batches, seconds = _fit_counting_reads(tmp_path / "slow", 0.005)  # 5 ms a read: a loaded server
    assert 1 <= slow <= seconds / 0.25 + 1  # past 2.5 ms a read (1 % of 0.25 s): one read per 0.25 s
    assert fast >= 10 and fast >= 3 * slow, (fast, slow, batches)  # local SQLite: microseconds, read often
