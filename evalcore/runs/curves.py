"""A run's logged series arranged for charts: per-epoch train/validation values, batch running means placed at
fractional epochs, the learning rate, and the best epoch.

Example:
    >>> from evalcore.runs.entities import Series
    >>> s = lambda v: Series(np.arange(len(v)), np.arange(len(v)), np.array(v, float), np.zeros(len(v)))
    >>> c = run_curves({"epoch/loss": s([0.9, 0.6]), "epoch/val_loss": s([0.8, 0.7])})
    >>> c.epochs.tolist(), c.best_epoch("loss")
    ([1, 2], 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from evalcore.runs import keys
from evalcore.runs.entities import Series

METRICS = keys.METRICS


@dataclass(frozen=True)
class RunCurves:
    epochs: np.ndarray                                   # 1-based epoch numbers that have finished
    train: dict[str, np.ndarray] = field(default_factory=dict)
    val: dict[str, np.ndarray] = field(default_factory=dict)
    batch_x: np.ndarray = field(default_factory=lambda: np.array([]))   # in epochs (1.0 = end of epoch 1)
    batch: dict[str, np.ndarray] = field(default_factory=dict)
    lr: np.ndarray = field(default_factory=lambda: np.array([]))
    planned_epochs: int = 0
    restored_epoch: int | None = None  # early stopping: the 1-based epoch whose weights the model ended with

    def best_epoch(self, metric: str) -> int | None:
        """The epoch with the best validation value (lowest loss, highest accuracy), 1-based."""
        values = self.val.get(metric)
        if values is None or not len(values) or np.all(np.isnan(values)):
            return None
        i = np.nanargmin(values) if metric == "loss" else np.nanargmax(values)
        return int(self.epochs[i])

    @property
    def epochs_done(self) -> int:
        return int(self.epochs[-1]) if len(self.epochs) else 0


def run_curves(series: dict[str, Series]) -> RunCurves:
    """Arrange a run's series (from :meth:`RunStore.series`) for display."""
    def values(key: str, n: int) -> np.ndarray:
        s = series.get(key)
        out = np.full(n, np.nan)
        if s is not None:
            keep = s.steps < n
            out[s.steps[keep]] = s.values[keep]
        return out

    epoch_keys = [k for k in series if keys.is_epoch(k)]
    n = max((int(series[k].steps.max()) + 1 for k in epoch_keys if len(series[k].steps)), default=0)
    train = {m: values(keys.epoch_key(m), n) for m in METRICS if keys.epoch_key(m) in series}
    val = {m: values(keys.epoch_key(m, True), n) for m in METRICS if keys.epoch_key(m, True) in series}
    steps_per_epoch = series.get(keys.STEPS_PER_EPOCH)
    spe = float(steps_per_epoch.values[-1]) if steps_per_epoch is not None and len(steps_per_epoch.values) else 0
    batch = {}
    batch_x = np.array([])
    for m in METRICS:
        s = series.get(keys.batch_key(m))
        if s is not None and spe:
            batch[m] = s.values
            batch_x = s.steps / spe
    planned = series.get(keys.PLANNED_EPOCHS)
    restored = series.get(keys.RESTORED_EPOCH)
    return RunCurves(np.arange(1, n + 1), train, val, batch_x, batch, values(keys.LEARNING_RATE, n),
                     int(planned.values[-1]) if planned is not None and len(planned.values) else 0,
                     int(restored.values[-1]) + 1 if restored is not None and len(restored.values) else None)
