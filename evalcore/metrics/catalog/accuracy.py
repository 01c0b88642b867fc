"""Accuracy: the share of rows whose predicted label equals the true label.

Example:
    >>> from evalcore.metrics._counts import CountState
    >>> SPEC.compute(CountState.of(np.array([[3, 1], [0, 4]]), pos=1)).tolist()
    [0.875]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import CLASSIFICATION, COUNTS, MetricSpec


def compute(state: CountState) -> np.ndarray:
    return state.accuracy()


SPEC = MetricSpec(
    id="accuracy", label="Accuracy", definition="Share of rows whose predicted label equals the true label.",
    higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval="bootstrap over confusion-matrix cells: a row bootstrap of a count metric is a multinomial draw of the cells", compute=compute, order=10,
    in_slices=True)
