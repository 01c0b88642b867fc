"""Log loss: the mean cross-entropy -log p(true class), probabilities clipped to [eps, 1 - eps].

Example:
    >>> from evalcore.metrics.states import ProbabilityState
    >>> state = ProbabilityState(binary=True, is_pos=np.array([True, False]), score=np.array([0.8, 0.4]))
    >>> SPEC.compute(state).round(4).tolist()
    [0.2231, 0.5108]
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._probabilistic import binary_log_losses
from evalcore.metrics.registry import CLASSIFICATION, ROW_LOSS, MetricSpec
from evalcore.metrics.states import ProbabilityState


def compute(state: ProbabilityState) -> np.ndarray:
    """One loss per row."""
    if state.binary:
        assert state.is_pos is not None and state.score is not None
        return binary_log_losses(state.is_pos, state.score)
    eps = np.finfo(np.float64).eps
    p_true = state.p_true()
    np.clip(p_true, eps, 1 - eps, out=p_true)
    np.log(p_true, out=p_true)
    return np.negative(p_true, out=p_true)


SPEC = MetricSpec(
    id="log_loss", label="Log loss",
    definition="Mean cross-entropy -log p(true class); probabilities clipped to [eps, 1 - eps].",
    higher_is_better=False, tasks=CLASSIFICATION, kind=ROW_LOSS, interval="normal approximation of the mean of per-row values (row bootstrap below 1,000 rows)", compute=compute, order=70)
