"""Metrics per group of another column (slicing), with intervals and group sizes.

The metrics are the registry's specs marked ``in_slices`` (accuracy and F1; ROC AUC for binary scores), each as
three columns under its label: value, low and high.

Example:
    >>> from evalcore.metrics import prepare
    >>> p = prepare(["a", "b", "a", "b"], ["a", "b", "b", "b"])
    >>> metrics_by_group(p, np.array(["x", "x", "y", "y"]), None)["Accuracy"].tolist()
    [1.0, 0.5]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.metrics import _intervals as iv
from evalcore.metrics._classification import confusion_counts
from evalcore.metrics._ranking import binary_counts, delong_from_counts
from evalcore.metrics.evaluation import Prepared
from evalcore.metrics.registry import COUNTS, RANKING, MetricSpec, specs_for
from evalcore.metrics.states import ClassRanking, RankingState

MAX_GROUPS = 50


def slice_specs(prepared: Prepared) -> tuple[MetricSpec, ...]:
    """The specs shown per group: count metrics marked for slices, and ranking ones for binary scores.

    >>> from evalcore.metrics import prepare
    >>> [s.id for s in slice_specs(prepare([0, 1, 1, 0], y_score=[0.1, 0.8, 0.6, 0.3]))]
    ['accuracy', 'f1', 'roc_auc']
    """
    kinds = (COUNTS, RANKING) if prepared.has_threshold else (COUNTS,)
    return tuple(s for s in specs_for(prepared.task) if s.in_slices and s.kind in kinds)


def _group_codes(groups, max_groups: int) -> tuple[np.ndarray, pd.Index]:
    values = pd.Series(np.asarray(groups, dtype=object))
    blank = values.isna() | (values.astype(str).str.strip() == "")  # a CSV's empty cell is text ''
    values = values.astype(str).where(~blank, "(missing)")
    counts = values.value_counts()
    keep = counts.index[:max_groups]
    if len(counts) > max_groups:
        values = values.where(values.isin(keep), "(other)")
    codes, names = pd.factorize(values, sort=True)
    return codes, names


def _ranking(prepared: Prepared, mask: np.ndarray) -> RankingState:
    """The positive class's ranking results within one group (AUC and DeLong variance; no AP)."""
    assert prepared.score is not None
    c = binary_counts(prepared.codes_true[mask] == prepared.pos, prepared.score[mask])
    d = delong_from_counts(c)
    return RankingState(True, (ClassRanking(c.n_pos, c.n_neg, d.auc, d.variance),), prepared.confidence)


def metrics_by_group(prepared: Prepared, groups, threshold: float | None, max_groups: int = MAX_GROUPS) -> pd.DataFrame:
    """The slice metrics per group, with confidence intervals ('<label>', '<label> low', '<label> high').

    Groups beyond the ``max_groups`` largest are pooled as '(other)'.
    """
    codes, names = _group_codes(groups, max_groups)
    pred = prepared.predicted_codes(threshold)
    k = len(prepared.classes)
    rng = np.random.default_rng(prepared.random_state)
    specs = slice_specs(prepared)
    counted = [s for s in specs if s.kind == COUNTS]
    ranked = [s for s in specs if s.kind == RANKING]
    rows = []
    for g, name in enumerate(names):
        mask = codes == g
        cm = confusion_counts(prepared.codes_true[mask], pred[mask], k)
        est = iv.count_intervals(cm, prepared.pos, prepared.confidence, prepared.n_resamples, rng, counted)
        row: dict[str, object] = {"group": name, "rows": int(mask.sum())}
        for s in counted:
            row[s.label], row[f"{s.label} low"], row[f"{s.label} high"] = est.metrics[s.id]
        state = _ranking(prepared, mask) if ranked else None
        for s in ranked:
            interval = s.compute(state)
            value, low, high = interval[:3] if interval is not None else (np.nan, np.nan, np.nan)
            row[s.label], row[f"{s.label} low"], row[f"{s.label} high"] = value, low, high
        rows.append(row)
    return pd.DataFrame(rows).sort_values("rows", ascending=False, ignore_index=True)
