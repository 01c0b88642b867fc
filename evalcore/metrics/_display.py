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


CALIBRATION_BINS = 10  # must divide HISTOGRAM_BINS: calibration bins are groups of histogram bins


HISTOGRAM_BINS = 50


def _display_indices(c: CurveCounts, points: int = CURVE_POINTS) -> np.ndarray:
    """Threshold indices to draw: evenly spaced along the ROC path and along the index, first and last kept."""
    n = c.tps.shape[0]
    if n <= points:
        return np.arange(n)
    path = np.multiply(c.fps, 1 / max(c.n_neg, 1))  # FPR + TPR: non-decreasing from ~0 to 2
    path += c.tps / max(c.n_pos, 1)
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


def probability_bins(p: np.ndarray) -> np.ndarray:
    """Bin index (0..HISTOGRAM_BINS-1) of each probability; calibration bins are groups of these."""
    bins = np.multiply(p, HISTOGRAM_BINS).astype(np.intp)
    return np.minimum(bins, HISTOGRAM_BINS - 1, out=bins)


def calibration(label: str, p: np.ndarray, bins: np.ndarray, positives_per_bin: np.ndarray) -> Calibration:
    """Reliability data in CALIBRATION_BINS equal bins, from the histogram bins of the probabilities."""
    per = HISTOGRAM_BINS // CALIBRATION_BINS
    count = np.bincount(bins, minlength=HISTOGRAM_BINS).reshape(CALIBRATION_BINS, per).sum(axis=1)
    sum_p = np.bincount(bins, weights=p, minlength=HISTOGRAM_BINS).reshape(CALIBRATION_BINS, per).sum(axis=1)
    sum_pos = positives_per_bin.reshape(CALIBRATION_BINS, per).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Calibration(label, sum_p / count, sum_pos / count, count.astype(np.int64))


def score_histogram(label: str, p: np.ndarray, groups: list[str], group_of_row: np.ndarray,
                    bins: np.ndarray | None = None) -> ScoreHistogram:
    """Histogram of scores for each group with one bincount (group index x bins).

    Probabilities use fixed bins on [0, 1] (pass ``bins`` from :func:`probability_bins` to reuse them);
    other scores are binned between their minimum and maximum.
    """
    lo, hi = float(p.min()), float(p.max())
    if 0 <= lo and hi <= 1:
        lo, hi = 0.0, 1.0
        if bins is None:
            bins = probability_bins(p)
    else:
        hi = hi if hi > lo else lo + 1
        bins = ((p - lo) * (HISTOGRAM_BINS / (hi - lo))).astype(np.intp)
        np.minimum(bins, HISTOGRAM_BINS - 1, out=bins)
    cell = group_of_row.astype(np.intp)
    cell *= HISTOGRAM_BINS
    cell += bins
    table = np.bincount(cell, minlength=len(groups) * HISTOGRAM_BINS).reshape(len(groups), HISTOGRAM_BINS)
    return ScoreHistogram(label, np.linspace(lo, hi, HISTOGRAM_BINS + 1), dict(zip(groups, table)))


def best_thresholds(c: CurveCounts) -> dict[str, tuple[float, float]]:
    """Thresholds that maximise F1 and Youden's J (TPR - FPR), with the values reached."""
    if c.n_pos <= 0 or c.n_neg <= 0:
        return {}
    buf = np.add(c.tps, c.fps)  # one buffer: F1 = 2·TP / (TP + FP + P), then J = TP/P - FP/N
    buf += c.n_pos
    np.divide(c.tps, buf, out=buf)
    i_f1 = int(np.argmax(buf))
    f1 = 2 * float(buf[i_f1])
    np.multiply(c.fps, -1 / c.n_neg, out=buf)
    buf += c.tps / c.n_pos
    i_j = int(np.argmax(buf))
    return {"F1": (float(c.thresholds[i_f1]), f1), "Youden J": (float(c.thresholds[i_j]), float(buf[i_j]))}
