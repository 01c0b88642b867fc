"""RMSE: the square root of the MSE, with the square root of the MSE's interval.

Example:
    >>> from evalcore.metrics.states import RegressionState
    >>> state = RegressionState(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 2.0]), 0.95, np.random.default_rng(0))
    >>> round(SPEC.compute(state)[0], 4)
    0.6455
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics import _intervals as iv
from evalcore.metrics.registry import REGRESSION, MetricSpec
from evalcore.metrics.states import RegressionState


def compute(state: RegressionState) -> iv.Interval:
    value, low, high, how = state.mean_interval("squared_error", state.errors ** 2)
    return (float(np.sqrt(value)), float(np.sqrt(max(low, 0))) if np.isfinite(low) else low,
            float(np.sqrt(high)) if np.isfinite(high) else high, how + " (square root of the MSE interval)")


SPEC = MetricSpec(
    id="rmse", label="RMSE", definition="Square root of the MSE.", higher_is_better=False,
    tasks=frozenset({"regression"}), kind=REGRESSION, interval="square root of the MSE interval",
    compute=compute, order=120)
