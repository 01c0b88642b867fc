"""Metrics per group of another column (slicing), with intervals and group sizes.

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

MAX_GROUPS = 50


def metrics_by_group(prepared: Prepared, groups, threshold: float | None, max_groups: int = MAX_GROUPS) -> pd.DataFrame:
    """Accuracy, F1 (and ROC AUC for binary scores) per group, with confidence intervals.

    Groups beyond the ``max_groups`` largest are pooled as '(other)'.
    """
    values = pd.Series(np.asarray(groups, dtype=object)).fillna("(missing)").astype(str)
    counts = values.value_counts()
    keep = counts.index[:max_groups]
    if len(counts) > max_groups:
        values = values.where(values.isin(keep), "(other)")
    codes, names = pd.factorize(values, sort=True)
    pred = prepared.predicted_codes(threshold)
    k = len(prepared.classes)
    rng = np.random.default_rng(prepared.random_state)
    rows = []
    for g, name in enumerate(names):
        mask = codes == g
        cm = confusion_counts(prepared.codes_true[mask], pred[mask], k)
        est = iv.count_intervals(cm, prepared.pos, prepared.confidence, prepared.n_resamples, rng)
        row = {"group": name, "rows": int(mask.sum())}
        for label, key in (("Accuracy", "accuracy"), ("F1", "f1")):
            row[label], row[f"{label} low"], row[f"{label} high"] = (float(x) for x in est[key])
        if prepared.has_threshold:
            d = delong_from_counts(binary_counts(prepared.codes_true[mask] == prepared.pos, prepared.score[mask]))
            low, high = iv.normal_interval(d.auc, d.variance, prepared.confidence, 0.0, 1.0)
            row["ROC AUC"], row["ROC AUC low"], row["ROC AUC high"] = d.auc, low, high
        rows.append(row)
    return pd.DataFrame(rows).sort_values("rows", ascending=False, ignore_index=True)
