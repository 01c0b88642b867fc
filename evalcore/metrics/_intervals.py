"""Confidence intervals that cost milliseconds at any N.

* Count metrics depend only on the confusion matrix, and a row bootstrap of them
  is exactly a multinomial draw of the matrix cells: resample the cells.
* Means of per-row losses: normal approximation (row bootstrap when N is small).
* ROC AUC: DeLong's variance (see ``_ranking.delong_from_counts``).
* Average precision: bootstrap over score bins (<= 500 bins).

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
AP_BINS = 500     # score bins for the average-precision bootstrap


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


def _binned(c: CurveCounts, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Positive/negative counts per score bin (descending scores), at most ``bins`` bins, in O(bins)."""
    n = c.tps.shape[0]
    if n <= bins:
        ends = np.arange(n)
    else:
        ends = np.unique(np.linspace(0, n - 1, bins + 1).astype(np.int64)[1:])
    tps, fps = c.tps[ends], c.fps[ends]
    return np.diff(tps, prepend=0.0), np.diff(fps, prepend=0.0)


def _ap_from_bins(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Average precision from per-bin counts; works on stacks (..., bins)."""
    tps = np.cumsum(p, axis=-1)
    fps = np.cumsum(q, axis=-1)
    total = tps[..., -1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tps + fps > 0, tps / np.where(tps + fps > 0, tps + fps, 1), 0.0)
        recall_steps = np.where(total > 0, p / np.where(total > 0, total, 1), np.nan)
    return np.sum(recall_steps * precision, axis=-1)


def average_precision_interval(c: CurveCounts, exact: float, confidence: float, n_resamples: int,
                               rng: np.random.Generator) -> tuple[float, float]:
    """Bootstrap over score bins: resample bin counts, shift by (exact - binned estimate)."""
    p, q = _binned(c, AP_BINS)
    cells = np.concatenate([p, q])
    n = int(round(cells.sum()))
    if n == 0 or p.sum() == 0:
        return np.nan, np.nan
    draws = rng.multinomial(n, cells / cells.sum(), size=n_resamples).astype(np.float64)
    k = p.shape[0]
    boot = _ap_from_bins(draws[:, :k], draws[:, k:])
    shift = exact - float(_ap_from_bins(p, q))
    low, high = percentile_interval(boot + shift, confidence)
    return float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1))


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
