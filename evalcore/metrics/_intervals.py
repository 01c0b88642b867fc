"""Confidence intervals that cost milliseconds at any N.

* Count metrics depend only on the confusion matrix, and a row bootstrap of them
  is exactly a multinomial draw of the matrix cells: resample the cells.
* Means of per-row losses: normal approximation (row bootstrap when N is small).
* ROC AUC: DeLong's variance (see ``_ranking.delong_from_counts``).
* Average precision: the delta method over score bins (<= 2,000 bins), on the logit scale.

Example:
    >>> cm = np.array([[50, 10], [5, 35]])
    >>> stack = multinomial_resample(cm, 200, np.random.default_rng(0))
    >>> stack.shape, int(stack[0].sum())
    ((200, 2, 2), 100)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from evalcore.metrics._counts import CountState
from evalcore.metrics._ranking import CurveCounts

if TYPE_CHECKING:
    from evalcore.metrics.registry import MetricSpec

Interval = tuple[float, float, float, str]  # value, low, high, how

SMALL_N = 1_000   # below this, means of losses use a row bootstrap instead of the normal approximation
AP_BINS = 2_000   # score bins for average precision's variance: its sd is within 0.1% of the unbinned one


def z_value(confidence: float) -> float:
    """Two-sided normal quantile, e.g. 1.96 for 0.95."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def percentile_interval(samples: np.ndarray, confidence: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed percentile interval, ignoring NaN resamples."""
    alpha = (1 - confidence) / 2
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low = np.nanquantile(samples, alpha, axis=axis)
            high = np.nanquantile(samples, 1 - alpha, axis=axis)
    return low, high


def multinomial_resample(cm: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Resampled confusion matrices, shape (n_resamples, K, K)."""
    counts = np.asarray(cm, dtype=np.float64)
    n = int(round(counts.sum()))
    if n == 0:
        return np.zeros((n_resamples,) + counts.shape)
    draws = rng.multinomial(n, counts.ravel() / counts.sum(), size=n_resamples)
    return draws.reshape((n_resamples,) + counts.shape).astype(np.float64)


@dataclass(frozen=True)
class CountEstimates:
    """Count metrics of one confusion matrix with their bootstrap intervals.

    ``metrics``: id -> (value, low, high); ``per_class``: 'precision', 'recall', 'f1' -> (values, lows, highs),
    arrays of one entry per class.
    """

    metrics: dict[str, tuple[float, float, float]]
    per_class: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]


def count_intervals(cm: np.ndarray, pos: int | None, confidence: float, n_resamples: int,
                    rng: np.random.Generator, specs: Sequence[MetricSpec]) -> CountEstimates:
    """Value and percentile interval of each count spec, and per-class precision/recall/F1, from the one
    count kernel: the matrix is a batch of one, its multinomial bootstrap a batch of ``n_resamples``.

    >>> from evalcore.metrics.registry import spec
    >>> est = count_intervals(np.array([[40, 10], [5, 45]]), 1, 0.95, 500, np.random.default_rng(0),
    ...                       [spec("accuracy")])
    >>> value, low, high = est.metrics["accuracy"]
    >>> round(float(value), 2), bool(low < 0.85 < high)
    (0.85, True)
    """
    point = CountState.of(cm, pos)
    boot = CountState.of(multinomial_resample(cm, n_resamples, rng), pos)
    metrics = {}
    for s in specs:
        low, high = percentile_interval(s.compute(boot), confidence)
        metrics[s.id] = (float(s.compute(point)[0]), float(low), float(high))
    per_class = {}
    for key, state_fn in (("precision", CountState.precision_per_class), ("recall", CountState.recall_per_class),
                          ("f1", CountState.f_per_class)):
        low, high = percentile_interval(state_fn(boot), confidence)
        per_class[key] = (state_fn(point)[0], low, high)
    return CountEstimates(metrics, per_class)


def mean_interval(values: np.ndarray, confidence: float, rng: np.random.Generator,
                  n_resamples: int = 1000) -> Interval:
    """Mean of per-row values with an interval: normal approximation, or row bootstrap for small N."""
    n = values.shape[0]
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan, "undefined (one row)"
    if n >= SMALL_N:
        # variance from one dot product: no N-sized temporary (values here are losses of order 1)
        variance = max(float(np.dot(values, values)) / n - mean * mean, 0.0) * n / (n - 1)
        half = z_value(confidence) * np.sqrt(variance) / np.sqrt(n)
        return mean, mean - half, mean + half, "normal approximation"
    idx = rng.integers(0, n, size=(n_resamples, n))
    low, high = percentile_interval(values[idx].mean(axis=1), confidence)
    return mean, float(low), float(high), "row bootstrap"


def normal_interval(value: float, variance: float, confidence: float, lo: float = -np.inf,
                    hi: float = np.inf) -> tuple[float, float]:
    """value ± z·sd, clipped to the metric's range."""
    if not np.isfinite(variance):
        return np.nan, np.nan
    half = z_value(confidence) * np.sqrt(max(variance, 0.0))
    return float(max(lo, value - half)), float(min(hi, value + half))


def _binned(c: CurveCounts, bins: int) -> CurveCounts:
    """The cumulative counts at no more than ``bins`` evenly spaced distinct scores (the last one kept)."""
    n = c.tps.shape[0]
    if n <= bins:
        return c
    ends = np.unique(np.linspace(0, n - 1, bins + 1).astype(np.int64)[1:])
    return CurveCounts(c.thresholds[ends], c.tps[ends], c.fps[ends])


def average_precision_variance(c: CurveCounts) -> float:
    """The delta-method variance of average precision when the rows are a multinomial sample of the
    (score, label) cells: ``sum(count * g**2) - (sum(count * g))**2 / n``, with ``g`` the derivative of AP
    with respect to each cell's count, in O(cells) from cumulative sums.

    With ``P`` positives, ``TP_j``/``FP_j`` the counts at or above the j-th score and ``prec_j`` their precision,
    ``AP = sum_j p_j prec_j / P``; a positive at score k moves it by ``(prec_k + A_k - AP) / P`` and a negative
    by ``-B_k / P``, where ``A_k``/``B_k`` sum ``p_j FP_j / N_j²`` / ``p_j TP_j / N_j²`` over j >= k.

    >>> from evalcore.metrics._ranking import binary_counts
    >>> c = binary_counts(np.array([1, 1, 0, 0, 1], bool), np.array([0.1, 0.4, 0.35, 0.8, 0.9]))
    >>> round(average_precision_variance(c), 5)
    0.03749
    """
    p, q = np.diff(c.tps, prepend=0.0), np.diff(c.fps, prepend=0.0)
    n_pos, n = c.n_pos, c.n_pos + c.n_neg
    if n_pos <= 0 or n < 2:
        return float("nan")
    predicted = c.tps + c.fps
    precision = c.tps / predicted
    ap = float(np.dot(p, precision)) / n_pos
    weight = p / (predicted * predicted)
    after_pos = np.cumsum((weight * c.fps)[::-1])[::-1]
    after_neg = np.cumsum((weight * c.tps)[::-1])[::-1]
    g_pos = (precision + after_pos - ap) / n_pos
    g_neg = -after_neg / n_pos
    first = float(np.dot(p, g_pos) + np.dot(q, g_neg))
    second = float(np.dot(p, g_pos * g_pos) + np.dot(q, g_neg * g_neg))
    return max(second - first * first / n, 0.0)


def logit_interval(value: float, variance: float, confidence: float) -> tuple[float, float]:
    """A normal interval on the logit scale, mapped back: it stays inside (0, 1). ``value`` 0 or 1, or a zero
    variance, gives the point itself; an unknown variance gives NaN.

    >>> [round(x, 4) for x in logit_interval(0.9, 0.0009, 0.95)]
    [0.824, 0.9453]
    """
    if not np.isfinite(variance):
        return np.nan, np.nan
    if value <= 0 or value >= 1 or variance == 0:
        return float(value), float(value)
    centre = np.log(value / (1 - value))
    half = z_value(confidence) * np.sqrt(variance) / (value * (1 - value))
    return float(1 / (1 + np.exp(-(centre - half)))), float(1 / (1 + np.exp(-(centre + half))))


def average_precision_interval(c: CurveCounts, exact: float, confidence: float) -> tuple[float, float]:
    """Average precision's interval: its delta-method variance over at most AP_BINS score bins, on the logit
    scale. Simulated (binormal scores, 400 data sets per n) it covers as often as the bootstrap over score bins it
    replaces, or more (95.5% against 95.3% at n = 1,000; 92.5% against 91.5% at n = 100), at 0.1 ms instead of
    50-100 ms per class.

    >>> from evalcore.metrics._ranking import binary_counts, average_precision_from_counts
    >>> rng = np.random.default_rng(0); y = rng.random(2000) < 0.3; s = rng.random(2000) * 0.5 + 0.4 * y
    >>> c = binary_counts(y, s); ap = average_precision_from_counts(c)
    >>> low, high = average_precision_interval(c, ap, 0.95); bool(low < ap < high), round(high - low, 3)
    (True, 0.018)
    """
    if c.n_pos <= 0:
        return np.nan, np.nan
    return logit_interval(exact, average_precision_variance(_binned(c, AP_BINS)), confidence)


def r2_interval(y: np.ndarray, y_hat: np.ndarray, confidence: float) -> tuple[float, float]:
    """Normal interval for R² from its influence function (O(N), no resampling)."""
    n = y.shape[0]
    if n < 3:
        return np.nan, np.nan
    e2 = (y - y_hat) ** 2
    d2 = (y - y.mean()) ** 2
    a, b = e2.mean(), d2.mean()
    if b == 0:
        return np.nan, np.nan
    influence = -(e2 - a) / b + a * (d2 - b) / b ** 2
    r2 = 1 - a / b
    return normal_interval(r2, float(influence.var(ddof=1)) / n, confidence, hi=1.0)
