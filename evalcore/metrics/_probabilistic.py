"""Probabilistic losses: log loss (cross-entropy) and the Brier score.

Probabilities are clipped to [eps, 1 - eps] of their own dtype, as scikit-learn does.

Example:
    >>> round(log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 6)
    0.216162
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.0375
"""

from __future__ import annotations

import warnings

import numpy as np

from evalcore.errors import InputError, rows_text
from evalcore.metrics._validation import (
    as_array,
    check_consistent_length,
    check_sample_weight,
    check_scores,
    encode,
    label_positions,
    resolve_pos_label,
    type_of_target,
    weighted_average,
)


def _check_range(p: np.ndarray) -> None:
    if p.max() > 1:
        rows = np.flatnonzero((p > 1) if p.ndim == 1 else (p > 1).any(axis=1))
        raise InputError(f"Expected probabilities in [0, 1], found values above 1 (max {p.max():g}) in "
                         f"{rows_text(rows + 1)}. Fix: pass probabilities, not raw scores or percentages.")
    if p.min() < 0:
        rows = np.flatnonzero((p < 0) if p.ndim == 1 else (p < 0).any(axis=1))
        raise InputError(f"Expected probabilities in [0, 1], found values below 0 (min {p.min():g}) in "
                         f"{rows_text(rows + 1)}. Fix: pass probabilities (apply a sigmoid or softmax).")


def _float_proba(y_proba) -> np.ndarray:
    p = check_scores(y_proba, "y_proba")
    if p.dtype.kind != "f":
        p = p.astype(np.float64)
    return p


def _onehot_multiclass(y_true, labels):
    """One-hot y_true against sorted classes (LabelBinarizer's rules)."""
    yt = as_array(y_true, "y_true")
    if yt.ndim == 2:
        if type_of_target(yt, "y_true") != "multilabel-indicator":
            raise InputError("Expected 1-D labels or a 0/1 indicator matrix for y_true, found another 2-D array. "
                             "Fix: pass one label per sample.")
        classes = np.arange(yt.shape[1])
        onehot = (yt != 0).astype(np.int64)
        if onehot.shape[1] == 1:
            raise InputError("Expected at least two classes, found one. Fix: pass labels= with every class.")
        return onehot, classes
    type_of_target(yt, "y_true")
    enc_true = encode(yt, names=("y_true",))
    if labels is not None:
        lab = np.asarray(labels).ravel()
        enc_lab = encode(lab, names=("labels",))
        classes = enc_lab.classes
        if not np.array_equal(classes, lab):
            warnings.warn(f"Labels passed were {lab.tolist()}. But this function assumes labels are ordered "
                          f"lexicographically. Pass the ordered labels={classes.tolist()} and ensure that the "
                          f"columns of y_prob correspond to this ordering.", UserWarning, stacklevel=3)
        pos = label_positions(classes, enc_true.classes)
        if (pos < 0).any():
            missing = enc_true.classes[pos < 0].tolist()
            raise InputError(f"Expected every y_true value among labels, found {missing} missing from labels "
                             f"{lab.tolist()}. Fix: add them to labels.")
        codes = pos[enc_true.codes[0]]
        if len(classes) == 1:
            raise InputError(f"Expected at least two labels, found {classes.tolist()}. Fix: list every class.")
    else:
        classes = enc_true.classes
        codes = enc_true.codes[0]
        if len(classes) == 1:
            raise InputError(f"Expected y_true with at least two classes, found only {classes[0]!r}. "
                             f"Fix: pass labels= with all expected classes.")
    onehot = np.zeros((len(codes), len(classes)), dtype=np.int64)
    onehot[np.arange(len(codes)), codes] = 1
    return onehot, classes


def _validate_multiclass(y_true, p, sample_weight, labels):
    _check_range(p)
    check_consistent_length(p, as_array(y_true, "y_true"), sample_weight)
    onehot, classes = _onehot_multiclass(y_true, labels)
    if p.ndim == 1:
        p = p[:, None]
    if p.shape[1] == 1:
        p = np.concatenate([1 - p, p], axis=1)
    eps = np.finfo(p.dtype).eps
    if not np.all(np.isclose(p.sum(axis=1), 1, rtol=np.sqrt(eps))):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning,
                      stacklevel=3)
    if onehot.shape[1] != p.shape[1]:
        if labels is None:
            raise InputError(f"Expected as many probability columns as classes in y_true ({onehot.shape[1]}: "
                             f"{classes.tolist()}), found {p.shape[1]}. Fix: pass labels= with every class.")
        raise InputError(f"Expected as many probability columns as labels ({onehot.shape[1]}), found "
                         f"{p.shape[1]}. Fix: pass one label per column.")
    return onehot, p


def per_row_log_loss(onehot: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Cross-entropy of each row, probabilities clipped at the dtype's eps."""
    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(onehot != 0, onehot * np.log(p), 0.0)
    return -terms.sum(axis=1)


def binary_log_losses(is_pos: np.ndarray, p_pos: np.ndarray) -> np.ndarray:
    """Per-row cross-entropy for a binary score, the same clipping as scikit-learn's two-column form."""
    eps = np.finfo(p_pos.dtype).eps
    chosen = np.subtract(1, p_pos)  # one array, then everything in place
    np.copyto(chosen, p_pos, where=is_pos)
    np.clip(chosen, eps, 1 - eps, out=chosen)
    np.log(chosen, out=chosen)
    return np.negative(chosen, out=chosen)


def log_loss(y_true, y_proba=None, *, normalize=True, sample_weight=None, labels=None, y_pred="deprecated"):
    """Cross-entropy loss (mean by default; ``normalize=False`` gives the sum).

    >>> round(log_loss([0, 1], [0.2, 0.7]), 6)
    0.289909
    """
    if not (isinstance(y_pred, str) and y_pred == "deprecated"):
        if y_proba is not None:
            raise InputError("Expected one of y_pred or y_proba, found both. Fix: pass y_proba only.")
        warnings.warn("`y_pred` was renamed to `y_proba` in version 1.9 and will be removed in 1.11. "
                      "Use `y_proba` instead.", FutureWarning, stacklevel=2)
        y_proba = y_pred
    if y_proba is None:
        raise InputError("Expected predicted probabilities in y_proba, found none. Fix: pass y_proba.")
    p = _float_proba(y_proba)
    weight = check_sample_weight(sample_weight, len(p))
    onehot, p = _validate_multiclass(y_true, p, sample_weight, labels)
    return float(weighted_average(per_row_log_loss(onehot, p), weight, normalize=normalize))


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"):
    """Mean squared difference between predicted probabilities and outcomes.

    >>> round(brier_score_loss(["a", "b", "c"], [[.8, .1, .1], [.2, .7, .1], [.1, .1, .8]]), 6)
    0.086667
    """
    p = _float_proba(y_proba)
    weight = check_sample_weight(sample_weight, len(p))
    if p.ndim == 1 or p.shape[1] == 1:
        p = p.ravel()
        yt = as_array(y_true, "y_true")
        check_consistent_length(p, yt, sample_weight)
        y_type = type_of_target(yt, "y_true")
        if y_type != "binary":
            raise InputError(f"Expected binary y_true for a single probability column, found {y_type}. "
                             f"Fix: pass one probability column per class.")
        _check_range(p)
        enc = encode(yt, names=("y_true",))
        try:
            pos_label = resolve_pos_label(enc.classes, pos_label)
        except InputError:
            if enc.classes.dtype.kind in "OUS":
                raise
            pos_label = enc.classes[-1]
        idx = label_positions(enc.classes, [pos_label])[0]
        t = (enc.codes[0] == idx).astype(np.int64) if idx >= 0 else np.zeros(len(p), dtype=np.int64)
        onehot = np.stack((1 - t, t), axis=1)
        p2 = np.stack((1 - p, p), axis=1)
    else:
        onehot, p2 = _validate_multiclass(y_true, p, sample_weight, labels)
    score = float(weighted_average(((onehot.astype(p2.dtype) - p2) ** 2).sum(axis=1), weight))
    if scale_by_half == "auto":
        scale_by_half = p2.shape[1] < 3
    return float(score * 0.5) if scale_by_half else score
