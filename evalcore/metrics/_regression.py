"""Regression errors: MSE, RMSE, MAE and R².

Example:
    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 4)
    0.9486
"""

from __future__ import annotations


import numpy as np

from evalcore.errors import InputError, warn_undefined_metric
from evalcore.metrics._validation import _dense, check_consistent_length, check_sample_weight, weighted_average

MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")


def _values(y, name: str) -> np.ndarray:
    arr = _dense(y)
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"Expected numbers in {name}, found text. Fix: regression metrics need numeric "
                             f"values; use the classification metrics for labels.") from exc
    arr = arr.astype(np.float64, copy=False) if arr.dtype.kind != "f" else arr
    if arr.ndim == 0 or arr.ndim > 2:
        raise InputError(f"Expected {name} to be 1-D or 2-D, found shape {arr.shape}. Fix: one row per sample.")
    if len(arr) == 0:
        raise InputError(f"Expected at least one sample in {name}, found none. Fix: pass a non-empty array.")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"Expected finite numbers in {name}, found NaN or infinity. Fix: fill or drop those rows.")
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def _check(y_true, y_pred, sample_weight, multioutput):
    yt = _values(y_true, "y_true")
    yp = _values(y_pred, "y_pred")
    check_consistent_length(yt, yp, sample_weight)
    if yt.shape[1] != yp.shape[1]:
        raise InputError(f"Expected y_true and y_pred with the same number of outputs, found {yt.shape[1]} and "
                         f"{yp.shape[1]}. Fix: align the output columns.")
    w = check_sample_weight(sample_weight, len(yt))
    if w is not None:
        w = w.astype(np.float64)
    if isinstance(multioutput, str):
        if multioutput not in MULTIOUTPUT:
            raise InputError(f"Expected multioutput to be one of {MULTIOUTPUT} or weights, found {multioutput!r}. "
                             f"Fix: pick one of those.")
    elif multioutput is not None:
        multioutput = np.asarray(multioutput, dtype=np.float64)
        if yt.shape[1] == 1:
            raise InputError("Expected custom output weights only with several outputs, found one output. "
                             "Fix: use multioutput='uniform_average'.")
        if multioutput.shape[0] != yt.shape[1]:
            raise InputError(f"Expected {yt.shape[1]} output weights, found {multioutput.shape[0]}. "
                             f"Fix: pass one weight per output.")
    return yt, yp, w, multioutput


def _combine(errors: np.ndarray, multioutput):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(weighted_average(errors, multioutput))


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error."""
    yt, yp, w, mo = _check(y_true, y_pred, sample_weight, multioutput)
    return _combine(weighted_average((yt - yp) ** 2, w, axis=0), mo)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared error.

    >>> root_mean_squared_error([0, 0], [3, 4])
    3.5355339059327378
    """
    yt, yp, w, mo = _check(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.sqrt(weighted_average((yt - yp) ** 2, w, axis=0)), mo)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error.

    >>> mean_absolute_error([1, 2], [2, 4])
    1.5
    """
    yt, yp, w, mo = _check(y_true, y_pred, sample_weight, multioutput)
    return _combine(weighted_average(np.abs(yp - yt), w, axis=0), mo)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """Coefficient of determination R²."""
    yt, yp, w, mo = _check(y_true, y_pred, sample_weight, multioutput)
    if len(yp) < 2:
        warn_undefined_metric("R^2 score is not well-defined with less than two samples.", stacklevel=2)
        return float("nan")
    weight = w[:, None] if w is not None else 1.0
    numerator = np.sum(weight * (yt - yp) ** 2, axis=0)
    denominator = np.sum(weight * (yt - weighted_average(yt, w, axis=0)) ** 2, axis=0)
    nonzero_den = denominator != 0
    if not force_finite:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    else:
        nonzero_num = numerator != 0
        scores = np.ones(yt.shape[1])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    if isinstance(mo, str):
        if mo == "raw_values":
            return scores
        avg_weights = None
        if mo == "variance_weighted":
            avg_weights = denominator if np.any(nonzero_den) else None
    else:
        avg_weights = mo
    return float(weighted_average(scores, avg_weights))
