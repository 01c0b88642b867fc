"""Display-sized data for charts, derived from the sorted score counts (never from re-sorting rows).

Example:
    >>> from evalcore.metrics._ranking import binary_counts
    >>> c = binary_counts(np.array([0, 1, 1], bool), np.array([0.2, 0.7, 0.9]))
    >>> best_thresholds(c)["F1"]
    (0.7, 1.0)
"""

from __future__ import annotations

import numpy as np

from evalcore.metrics._ranking import CurveCounts, pr_from_counts, roc_from_counts
from evalcore.metrics.report import Calibration, ClassCurves, ScoreHistogram

CURVE_POINTS = 1_500         # points kept per curve for display (first, last and turning points kept)


CALIBRATION_BINS = 10


HISTOGRAM_BINS = 50


def _display_indices(c: CurveCounts, points: int = CURVE_POINTS) -> np.ndarray:
    """Threshold indices to draw: evenly spaced along the ROC path and along the index, first and last kept."""
    n = c.tps.shape[0]
    if n <= points:
        return np.arange(n)
    path = c.fps / max(c.n_neg, 1) + c.tps / max(c.n_pos, 1)  # non-decreasing from ~0 to 2
    along_path = np.searchsorted(path, np.linspace(0, path[-1], points)).clip(0, n - 1)
    along_index = np.linspace(0, n - 1, points // 4).astype(np.int64)
    return np.unique(np.concatenate(([0, n - 1], along_path, along_index)))


def class_curves(label: str, c: CurveCounts, auc: float, ap: float) -> ClassCurves:
    """Display curves from a subset of exact curve points (never interpolated values)."""
    idx = _display_indices(c)
    small = CurveCounts(c.thresholds[idx], c.tps[idx], c.fps[idx])
    fpr, tpr, rthr = roc_from_counts(small, drop_intermediate=False, warn=False)
    precision, recall, pthr = pr_from_counts(small, warn=False)
    n = c.n_pos + c.n_neg
    return ClassCurves(label, fpr, tpr, rthr, precision, recall, np.append(pthr, np.nan), auc, ap,
                       c.n_pos / n if n else np.nan)


def calibration(label: str, is_pos: np.ndarray, p: np.ndarray) -> Calibration:
    bins = np.minimum((p * CALIBRATION_BINS).astype(np.int64), CALIBRATION_BINS - 1)
    count = np.bincount(bins, minlength=CALIBRATION_BINS).astype(np.float64)
    sum_p = np.bincount(bins, weights=p, minlength=CALIBRATION_BINS)
    sum_pos = np.bincount(bins, weights=is_pos, minlength=CALIBRATION_BINS)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Calibration(label, sum_p / count, sum_pos / count, count.astype(np.int64))


def score_histogram(label: str, p: np.ndarray, groups: list[str], group_of_row: np.ndarray) -> ScoreHistogram:
    """Histogram of scores for each group with one bincount (group index x bins)."""
    lo, hi = float(p.min()), float(p.max())
    if 0 <= lo and hi <= 1:
        lo, hi = 0.0, 1.0
    if hi == lo:
        hi = lo + 1
    bins = np.minimum(((p - lo) * (HISTOGRAM_BINS / (hi - lo))).astype(np.int64), HISTOGRAM_BINS - 1)
    bins += group_of_row.astype(np.int64) * HISTOGRAM_BINS
    table = np.bincount(bins, minlength=len(groups) * HISTOGRAM_BINS).reshape(len(groups), HISTOGRAM_BINS)
    return ScoreHistogram(label, np.linspace(lo, hi, HISTOGRAM_BINS + 1), dict(zip(groups, table)))


def best_thresholds(c: CurveCounts) -> dict[str, tuple[float, float]]:
    if c.n_pos <= 0 or c.n_neg <= 0:
        return {}
    tp, fp = c.tps, c.fps
    fn = c.n_pos - tp
    f1 = 2 * tp / (2 * tp + fp + fn)
    j = tp / c.n_pos - fp / c.n_neg
    i_f1, i_j = int(np.argmax(f1)), int(np.argmax(j))
    return {"F1": (float(c.thresholds[i_f1]), float(f1[i_f1])),
            "Youden J": (float(c.thresholds[i_j]), float(j[i_j]))}
