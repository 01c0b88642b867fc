"""The live-logging callback: batch and epoch points to the run store, the stop flag, NaN detection.

Per-batch values are Keras' running means within the epoch (``batch/loss`` etc. say so in the UI).
"""

from __future__ import annotations

import math
import threading
import time

import keras
import numpy as np

from evalcore.runs import Point, RunStore, keys


STOP_CHECK_SHARE = 0.01  # the stop-flag reads take at most this share of the training time
STOP_CHECK_MAX_S = 0.25  # and a stop is seen within this long (plus the batch running then)


class LiveLogger(keras.callbacks.Callback):
    """Logs to the store: batch points at most every ``batch_seconds``, every epoch's metrics and learning rate.

    Checks the run's stop flag before a batch and stops after that batch. The reads take at most
    :data:`STOP_CHECK_SHARE` of the training time: on local SQLite (a read of a few microseconds) that is before
    every batch; on a store across the network (a round trip per read) the next read waits a hundred times as long
    as the last one took, but never more than :data:`STOP_CHECK_MAX_S`, so a Stop is seen within a quarter of a
    second (measured with 20 workers logging into PostgreSQL: a read every batch had cost +5.7 % of the epoch).
    ``async_safe``: on a backend Keras deems thread-safe it runs the batch-end hook on a helper thread; with
    TensorFlow (Keras 3.15) it runs every hook in the training loop. The store is called under ``lock`` either way.
    """

    async_safe = True

    def __init__(self, store: RunStore, run_id: int, batch_seconds: float = 0.25):
        super().__init__()
        self.store, self.run_id = store, run_id
        self.lock = threading.Lock()
        self.batch_seconds = batch_seconds
        self.step = 0
        self.epoch = 0
        self.pending: list[Point] = []
        self.last_flush = 0.0
        self.stopped = False
        self.nan_at: tuple[int, int] | None = None
        self.next_stop_check = 0.0

    def on_train_begin(self, logs=None):
        steps = (self.params or {}).get("steps")
        with self.lock:
            if steps:  # lets the charts place batch points at fractional epochs
                self.pending.append(Point(keys.STEPS_PER_EPOCH, 0, 0, float(steps)))
            self.pending.append(Point(keys.PLANNED_EPOCHS, 0, 0, float((self.params or {}).get("epochs", 0))))
            self.flush(time.time())

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        """The stop flag, read in the training loop itself (Keras runs batch-begin hooks synchronously): the batch
        starting now is the last one. Read at most as often as :data:`STOP_CHECK_SHARE` allows."""
        started = time.perf_counter()
        if started < self.next_stop_check:
            return
        with self.lock:
            requested = self.store.stop_requested(self.run_id)
        took = time.perf_counter() - started
        self.next_stop_check = started + min(STOP_CHECK_MAX_S, took / STOP_CHECK_SHARE)
        if requested:
            self.stopped = True
            self.model.stop_training = True

    def on_train_batch_end(self, batch, logs=None):
        with self.lock:
            self.step += 1
            step = self.step
            logs = logs or {}
            now = time.time()
            loss = float(logs.get("loss", np.nan))
            if not math.isfinite(loss) and self.nan_at is None:
                self.nan_at = (self.epoch, batch)
                self.model.stop_training = True
            if now - self.last_flush >= self.batch_seconds or self.nan_at:
                for metric in keys.METRICS:
                    if metric in logs:
                        self.pending.append(Point(keys.batch_key(metric), step, self.epoch, float(logs[metric]), now))
                self.flush(now)

    def on_epoch_end(self, epoch, logs=None):
        now = time.time()
        with self.lock:
            logs = logs or {}
            for name, key in keys.logged_epoch_keys(logs):
                self.pending.append(Point(key, epoch, epoch, float(logs[name]), now))
            self.pending.append(Point(keys.LEARNING_RATE, epoch, epoch, current_learning_rate(self.model), now))
            self.flush(now)

    def on_train_end(self, logs=None):
        with self.lock:
            self.flush(time.time())

    def flush(self, now: float) -> None:
        self.store.log_points(self.run_id, self.pending)
        self.pending = []
        self.last_flush = now


def current_learning_rate(model: keras.Model) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))


class TerminateOnNaN(keras.callbacks.TerminateOnNaN):
    """Keras' TerminateOnNaN, marked safe for asynchronous batch hooks (it only sets ``stop_training``), so it
    does not force every batch to wait for its logs."""

    async_safe = True
