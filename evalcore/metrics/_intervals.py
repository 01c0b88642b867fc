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

import numpy as np
from statistics import NormalDist

from evalcore.metrics._ranking import CurveCounts

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


def _safe_div(num, den, fill=0.0):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(den == 0, 1, den)
    return np.where(den == 0, fill, out)


def count_metrics(cms: np.ndarray, pos: int | None, zero_division: float = 0.0) -> dict[str, np.ndarray]:
    """Vectorised count metrics over a stack of confusion matrices (..., K, K).

    ``pos`` is the positive class index for binary averaging; None means macro averaging.
    """
    tp = np.diagonal(cms, axis1=-2, axis2=-1)
    pred = cms.sum(axis=-2)
    true = cms.sum(axis=-1)
    n = true.sum(axis=-1)
    precision_k = _safe_div(tp, pred, zero_division)
    recall_k = _safe_div(tp, true, zero_division)
    f1_k = _safe_div(2 * tp, pred + true, zero_division)
    out = {
        "accuracy": _safe_div(tp.sum(axis=-1), n, np.nan),
        "precision_per_class": precision_k,
        "recall_per_class": recall_k,
        "f1_per_class": f1_k,
    }
    if pos is not None:
        out["precision"], out["recall"], out["f1"] = precision_k[..., pos], recall_k[..., pos], f1_k[..., pos]
    else:
        out["precision"], out["recall"], out["f1"] = precision_k.mean(-1), recall_k.mean(-1), f1_k.mean(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        present = true > 0
        rec = np.where(present, tp / np.where(present, true, 1), 0.0)
        out["balanced_accuracy"] = rec.sum(-1) / np.maximum(present.sum(-1), 1)
        cov_ytyp = tp.sum(-1) * n - (true * pred).sum(-1)
        cov_ypyp = n ** 2 - (pred * pred).sum(-1)
        cov_ytyt = n ** 2 - (true * true).sum(-1)
        denom = cov_ypyp * cov_ytyt
        out["mcc"] = np.where(denom == 0, 0.0, cov_ytyp / np.sqrt(np.where(denom == 0, 1, denom)))
    return out


def count_intervals(cm: np.ndarray, pos: int | None, confidence: float, n_resamples: int,
                    rng: np.random.Generator) -> dict[str, tuple]:
    """(value, low, high) of every count metric of a confusion matrix; per-class keys hold arrays.

    >>> est = count_intervals(np.array([[40, 10], [5, 45]]), 1, 0.95, 500, np.random.default_rng(0))
    >>> round(float(est["accuracy"][0]), 2), bool(est["accuracy"][1] < 0.85 < est["accuracy"][2])
    (0.85, True)
    """
    point = count_metrics(cm[None].astype(np.float64), pos)
    boot = count_metrics(multinomial_resample(cm, n_resamples, rng), pos)
    return {key: (point[key][0], *percentile_interval(boot[key], confidence)) for key in point}


def mean_interval(values: np.ndarray, confidence: float, rng: np.random.Generator,
                  n_resamples: int = 1000) -> tuple[float, float, float, str]:
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
