"""Matthews correlation coefficient over the whole confusion matrix.

Example:
    >>> from evalcore.metrics._counts import CountState
    >>> SPEC.compute(CountState.of(np.array([[3, 1], [0, 4]]), pos=1)).round(4).tolist()
    [0.7746]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import CLASSIFICATION, COUNTS, MetricSpec


def compute(state: CountState) -> np.ndarray:
    return state.mcc()


SPEC = MetricSpec(
    id="mcc", label="MCC",
    definition="Matthews correlation coefficient over the whole confusion matrix (-1 to 1, 0 = chance).",
    higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval="bootstrap over confusion-matrix cells: a row bootstrap of a count metric is a multinomial draw of the cells", compute=compute, order=50)
