"""R²: the coefficient of determination, with a normal interval from its influence function.

Example:
    >>> from evalcore.metrics.states import RegressionState
    >>> state = RegressionState(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 2.0]), 0.95, np.random.default_rng(0))
    >>> SPEC.compute(state)[0]
    0.375
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics import _intervals as iv
from evalcore.metrics.registry import REGRESSION, MetricSpec
from evalcore.metrics.states import RegressionState


def compute(state: RegressionState) -> iv.Interval:
    yt, err = state.y_true, state.errors
    denom = float(np.sum((yt - yt.mean()) ** 2))
    r2 = float(1 - np.sum(err ** 2) / denom) if denom > 0 and len(yt) > 1 else np.nan
    low, high = iv.r2_interval(yt, state.y_pred, state.confidence)
    return r2, low, high, "normal approximation (influence function)"


SPEC = MetricSpec(
    id="r2", label="R²", definition="1 - sum of squared errors / total sum of squares.", higher_is_better=True,
    tasks=frozenset({"regression"}), kind=REGRESSION,
    interval="normal approximation (influence function of R²)", compute=compute, order=140)
