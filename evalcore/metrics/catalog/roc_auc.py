"""ROC AUC: the area under the ROC curve (one-vs-rest macro average for multiclass), with DeLong's interval.

Example:
    >>> from evalcore.metrics.states import ClassRanking, RankingState
    >>> value, low, high, how = SPEC.compute(RankingState(True, (ClassRanking(2, 2, 0.75, 0.125),), 0.95))
    >>> value, round(low, 3), high, how
    (0.75, 0.057, 1.0, 'DeLong')
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics import _intervals as iv
from evalcore.metrics.registry import CLASSIFICATION, RANKING, MetricSpec
from evalcore.metrics.states import RankingState


def compute(state: RankingState) -> iv.Interval | None:
    """The AUC with a normal interval from DeLong's variance; None when undefined (a class never occurs)."""
    if state.binary:
        c = state.classes[0]
        if not np.isfinite(c.auc):
            return None
        low, high = iv.normal_interval(c.auc, c.auc_variance, state.confidence, 0.0, 1.0)
        return c.auc, low, high, "DeLong"
    present = state.present()
    if not present:
        return None
    auc = float(np.mean([c.auc for c in present]))
    variance = float(np.sum([c.auc_variance for c in present])) / len(present) ** 2
    low, high = iv.normal_interval(auc, variance, state.confidence, 0.0, 1.0)
    return auc, low, high, "DeLong per class, combined as independent"


SPEC = MetricSpec(
    id="roc_auc", label="ROC AUC", definition="Area under the ROC curve (trapezoidal, ties count 1/2){ovr}",
    higher_is_better=True, tasks=CLASSIFICATION, kind=RANKING,
    interval="DeLong's variance, normal interval (per class combined as independent for multiclass)",
    compute=compute, order=90, in_slices=True)
