"""Training budgets, measured as ratios in one run (this machine is noisy).

Run: make bench-train   (or .venv/bin/python -m bench.train_speed)
- logging overhead: the same model.fit with and without the live logger (store writes, stop check every batch),
  alternating, median of N each; budget <= 5 %.
- first point: from launch.start() (what the Train button calls) to the first batch point and the first epoch
  point in the store; budget < 8 s to the first point in the browser (the browser test prints that figure).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def logging_overhead(repeats: int) -> tuple[float, float]:
    import keras

    from evalcore.runs import open_store
    from evalcore.training import datasets
    from evalcore.training.callbacks import LiveLogger
    from evalcore.training.config import TrainConfig
    from evalcore.training.model import build_model, optimizer

    config = TrainConfig(dataset="mnist", epochs=3, train_size=2400)
    data = datasets.load("mnist", train_size=config.train_size)
    store = open_store(tempfile.mkdtemp())

    def fit(with_logger: bool) -> float:
        keras.utils.set_random_seed(0)
        model = build_model(config, data.input_shape, 10, "image")
        model.compile(optimizer=optimizer(config), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(data.x_train[:64], data.y_train[:64], epochs=1, verbose=0)  # build and trace outside the timing
        callbacks = []
        if with_logger:
            run_id = store.create_run("bench", "train", config.to_dict())
            callbacks = [LiveLogger(store, run_id, config.batch_log_seconds)]
        t0 = time.perf_counter()
        model.fit(data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=config.epochs,
                  batch_size=config.batch_size, callbacks=callbacks, verbose=0)
        return (time.perf_counter() - t0) / config.epochs

    plain, logged = [], []
    for i in range(repeats):  # alternate which goes first, so warm-up favours neither
        for with_logger in ((False, True) if i % 2 == 0 else (True, False)):
            (logged if with_logger else plain).append(fit(with_logger))
    return float(np.median(plain)), float(np.median(logged))


def first_points(standby: bool = True) -> tuple[float, float]:
    """Seconds from launch.start() to the first batch point and the first epoch point in the store. With
    ``standby``, as on the Train page: the page opened (a standby worker started) and ready before Train."""
    from evalcore.runs import SqliteRunStore, keys
    from evalcore.training import launch
    from evalcore.training.config import TrainConfig

    os.environ[launch.STANDBY_ENV] = "1" if standby else "0"
    store = SqliteRunStore(tempfile.mkdtemp())
    if standby:
        launch.prewarm(store)
        deadline = time.time() + 120
        while not launch.standby_ready(store) and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # the user reads the page before pressing Train; the import's last work settles
    t0 = time.perf_counter()
    run_id = launch.start(TrainConfig(dataset="mnist", epochs=2, train_size=1200), store)
    first_batch = first_epoch = None
    while first_epoch is None and time.perf_counter() - t0 < 120:
        series = store.series(run_id)
        if first_batch is None and keys.batch_key("loss") in series:
            first_batch = time.perf_counter() - t0
        if keys.epoch_key("loss") in series:
            first_epoch = time.perf_counter() - t0
        time.sleep(0.05)
    return first_batch, first_epoch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=6)
    args = parser.parse_args()
    batch, epoch = first_points()
    cold_batch, cold_epoch = first_points(standby=False)
    print("first point (launch.start -> point in the store; the page polls every 1 s on top)")
    print(f"  standby worker ready: first batch point {batch:.2f} s | first epoch point {epoch:.2f} s")
    print(f"  no standby (EVALCORE_STANDBY=0): first batch point {cold_batch:.2f} s | first epoch {cold_epoch:.2f} s")
    plain, logged = logging_overhead(args.repeats)
    print("live logging overhead (MNIST, 2,400 training rows, batch 32, 3 epochs; median of "
          f"{args.repeats} each, alternating order)")
    print(f"  plain fit {plain:.3f} s/epoch | with live logging {logged:.3f} s/epoch | "
          f"overhead {100 * (logged / plain - 1):+.1f} %")


if __name__ == "__main__":
    main()
