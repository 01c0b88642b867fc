"""Brier score: the mean squared error of the probabilities.

Example:
    >>> from evalcore.metrics.states import ProbabilityState
    >>> state = ProbabilityState(binary=True, is_pos=np.array([True, False]), score=np.array([0.8, 0.4]))
    >>> SPEC.compute(state).round(4).tolist()
    [0.04, 0.16]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics.registry import CLASSIFICATION, ROW_LOSS, MetricSpec
from evalcore.metrics.states import ProbabilityState


def compute(state: ProbabilityState) -> np.ndarray:
    """One squared error per row: of the positive class's probability (binary), summed over classes
    (multiclass)."""
    if state.binary:
        assert state.is_pos is not None and state.score is not None
        squared = np.subtract(state.is_pos, state.score)
        squared *= squared
        return squared
    assert state.proba is not None
    return np.einsum("ij,ij->i", state.proba, state.proba) - 2 * state.p_true() + 1  # sum of (onehot - p)²


SPEC = MetricSpec(
    id="brier_score", label="Brier score", definition="Mean squared error of the positive-class probability.",
    definition_multiclass="Mean over rows of the squared error summed over classes (not halved).",
    higher_is_better=False, tasks=CLASSIFICATION, kind=ROW_LOSS, interval="normal approximation of the mean of per-row values (row bootstrap below 1,000 rows)", compute=compute, order=80)
