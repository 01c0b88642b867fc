"""Recall: TP / (TP + FN), for the positive class or macro-averaged over classes.

Example:
    >>> from evalcore.metrics._counts import CountState
    >>> SPEC.compute(CountState.of(np.array([[3, 1], [0, 4]]), pos=0)).tolist()
    [0.75]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import CLASSIFICATION, COUNTS, MetricSpec


def compute(state: CountState) -> np.ndarray:
    return state.averaged(state.recall_per_class())


SPEC = MetricSpec(
    id="recall", label="Recall", definition="TP / (TP + FN), {which}; 0 when a class has no true rows.",
    higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval="bootstrap over confusion-matrix cells: a row bootstrap of a count metric is a multinomial draw of the cells", compute=compute, order=30)
