"""MAE: the mean absolute error of a regression.

Example:
    >>> from evalcore.metrics.states import RegressionState
    >>> state = RegressionState(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 2.0]), 0.95, np.random.default_rng(0))
    >>> SPEC.compute(state)[0]
    0.5
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics import _intervals as iv
from evalcore.metrics.registry import REGRESSION, MetricSpec
from evalcore.metrics.states import RegressionState


def compute(state: RegressionState) -> iv.Interval:
    return state.mean_interval("absolute_error", np.abs(state.errors))


SPEC = MetricSpec(
    id="mae", label="MAE", definition="Mean of |y_true - y_pred|.", higher_is_better=False,
    tasks=frozenset({"regression"}), kind=REGRESSION, interval="normal approximation of the mean of per-row values (row bootstrap below 1,000 rows)", compute=compute, order=130)
