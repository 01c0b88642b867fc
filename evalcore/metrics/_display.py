"""Display-sized data for charts, derived from the sorted score counts (never from re-sorting rows).

Example:
    >>> from evalcore.metrics._ranking import binary_counts
    >>> c = binary_counts(np.array([0, 1, 1], bool), np.array([0.2, 0.7, 0.9]))
    >>> best_thresholds(c)["F1"]
    (0.7, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evalcore.metrics._ranking import CurveCounts, pr_from_counts, roc_from_counts, temporary
from evalcore.metrics.report import Calibration, ClassCurves, ScoreHistogram

CURVE_POINTS = 1_500  # points kept per curve for display (first, last and turning points kept)
CALIBRATION_BINS = 10
HISTOGRAM_BINS = 50


def _display_indices(c: CurveCounts, points: int = CURVE_POINTS) -> np.ndarray:
    """Threshold indices to draw: evenly spaced along the ROC path and along the index, first and last kept."""
    n = c.tps.shape[0]
    if n <= points:
        return np.arange(n)
    # (FPR + TPR) * positives: non-decreasing; the scale does not change the spacing
    path = np.multiply(c.fps, max(c.n_pos, 1) / max(c.n_neg, 1), out=temporary(c))
    path += c.tps
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


@dataclass(frozen=True)
class ScoreBins:
    """Positives and negatives per score bin, read off the sorted counts in O(bins · log n).

    Bin b holds edges[b] < score <= edges[b+1] (the first bin also holds edges[0]), scikit-learn's
    ``calibration_curve`` rule. ``above[b]``: distinct scores above edges[b] (all of them for b = 0), so bin b
    is ``thresholds[above[b+1]:above[b]]`` of the descending counts.
    """

    edges: np.ndarray
    positives: np.ndarray
    negatives: np.ndarray
    above: np.ndarray


def score_bins(c: CurveCounts, probabilities: bool, n_bins: int = HISTOGRAM_BINS) -> ScoreBins:
    """``n_bins`` equal bins on [0, 1] for probabilities, else between the lowest and highest score.

    >>> from evalcore.metrics._ranking import binary_counts
    >>> b = score_bins(binary_counts(np.array([0, 1, 1], bool), np.array([0.01, 0.01, 0.99])), True)
    >>> int(b.positives[0]), int(b.negatives[0]), int(b.positives[-1])
    (1, 1, 1)
    """
    n = c.tps.shape[0]
    if probabilities:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = (float(c.thresholds[-1]), float(c.thresholds[0])) if n else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1
    edges = np.linspace(lo, hi, n_bins + 1)
    ascending = c.thresholds[::-1]
    above = np.empty(n_bins + 1, dtype=np.intp)
    above[0], above[-1] = n, 0
    above[1:-1] = n - np.searchsorted(ascending, edges[1:-1], side="right")

    def per_bin(cumulative: np.ndarray) -> np.ndarray:
        at = np.where(above > 0, cumulative[np.maximum(above - 1, 0)] if n else 0.0, 0.0)
        return at[:-1] - at[1:]

    return ScoreBins(edges, per_bin(c.tps), per_bin(c.fps), above)


def calibration(label: str, c: CurveCounts) -> Calibration:
    """Reliability data in CALIBRATION_BINS equal bins on [0, 1], binned as scikit-learn's calibration_curve."""
    bins = score_bins(c, True, CALIBRATION_BINS)
    count = bins.positives + bins.negatives
    one_row_per_score = c.n_pos + c.n_neg == c.tps.shape[0]
    if not one_row_per_score:
        p, q = c.steps
        rows = np.add(p, q, out=temporary(c))
    sums = np.empty(CALIBRATION_BINS)
    for b in range(CALIBRATION_BINS):
        lo, hi = bins.above[b + 1], bins.above[b]
        sums[b] = c.thresholds[lo:hi].sum() if one_row_per_score else np.dot(c.thresholds[lo:hi], rows[lo:hi])
    with np.errstate(divide="ignore", invalid="ignore"):
        return Calibration(label, sums / count, bins.positives / count, count.astype(np.int64))


def score_histogram(label: str, bins: ScoreBins, names: list[str], positive: str) -> ScoreHistogram:
    """Histogram of one class's scores for its rows and for the others' (``names``: both, in display order)."""
    counts = {name: (bins.positives if name == positive else bins.negatives).astype(np.int64) for name in names}
    return ScoreHistogram(label, bins.edges, counts)


def best_thresholds(c: CurveCounts) -> dict[str, tuple[float, float]]:
    """Thresholds that maximise F1 and Youden's J (TPR - FPR), with the values reached."""
    if c.n_pos <= 0 or c.n_neg <= 0:
        return {}
    buf = np.add(c.tps, c.fps, out=temporary(c))  # one buffer: F1 = 2·TP / (TP + FP + P), then J·P
    buf += c.n_pos
    np.divide(c.tps, buf, out=buf)
    i_f1 = int(np.argmax(buf))
    f1 = 2 * float(buf[i_f1])
    np.multiply(c.fps, -c.n_pos / c.n_neg, out=buf)  # J·P = TP - FP·P/N
    buf += c.tps
    i_j = int(np.argmax(buf))
    return {"F1": (float(c.thresholds[i_f1]), f1),
            "Youden J": (float(c.thresholds[i_j]), float(buf[i_j]) / c.n_pos)}
