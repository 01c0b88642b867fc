"""Average precision: the step-wise area under the precision-recall curve, with a delta-method interval on the logit scale.

Example:
    >>> from evalcore.metrics.states import ClassRanking, RankingState
    >>> SPEC.compute(RankingState(True, (ClassRanking(2, 2, 0.75, 0.1, 0.83, 0.5, 1.0),), 0.95))
    (0.83, 0.5, 1.0, 'delta method, logit scale')
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics import _intervals as iv
from evalcore.metrics.registry import CLASSIFICATION, RANKING, MetricSpec
from evalcore.metrics.states import RankingState


def compute(state: RankingState) -> iv.Interval | None:
    """AP and its interval; for multiclass the macro mean, half-widths combined as independent."""
    if state.binary:
        c = state.classes[0]
        if not np.isfinite(c.auc):
            return None
        return c.ap, c.ap_low, c.ap_high, "delta method, logit scale"
    present = state.present()
    if not present:
        return None
    ap = float(np.mean([c.ap for c in present]))
    half = float(np.sqrt(np.nansum(np.square([(c.ap_high - c.ap_low) / 2 for c in present])))) / len(present)
    return (ap, max(0.0, ap - half), min(1.0, ap + half),
            "delta method per class (logit scale), combined as independent")


SPEC = MetricSpec(
    id="average_precision", label="Average precision",
    definition="Step-wise area under the precision-recall curve (no interpolation){ovr}",
    higher_is_better=True, tasks=CLASSIFICATION, kind=RANKING,
    interval="delta method over score bins (<= 2,000 bins), normal on the logit scale", compute=compute, order=100)
