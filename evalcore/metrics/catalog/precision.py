"""Precision: TP / (TP + FP), for the positive class or macro-averaged over classes.

Example:
    >>> from evalcore.metrics._counts import CountState
    >>> SPEC.compute(CountState.of(np.array([[3, 1], [0, 4]]), pos=1)).tolist()
    [0.8]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import CLASSIFICATION, COUNTS, MetricSpec


def compute(state: CountState) -> np.ndarray:
    return state.averaged(state.precision_per_class())


SPEC = MetricSpec(
    id="precision", label="Precision", definition="TP / (TP + FP), {which}; 0 when nothing is predicted positive.",
    higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval="bootstrap over confusion-matrix cells: a row bootstrap of a count metric is a multinomial draw of the cells", compute=compute, order=20)
