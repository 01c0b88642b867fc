"""F1: 2·TP / (2·TP + FP + FN), for the positive class or macro-averaged over classes.

Example:
    >>> from evalcore.metrics._counts import CountState
    >>> SPEC.compute(CountState.of(np.array([[3, 1], [0, 4]]), pos=1)).round(4).tolist()
    [0.8889]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import CLASSIFICATION, COUNTS, MetricSpec


def compute(state: CountState) -> np.ndarray:
    return state.averaged(state.f_per_class())


SPEC = MetricSpec(
    id="f1", label="F1",
    definition="2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall, {which}.",
    higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval="bootstrap over confusion-matrix cells: a row bootstrap of a count metric is a multinomial draw of the cells", compute=compute, order=40,
    in_slices=True)
