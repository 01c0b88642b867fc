"""Ranking metrics from one sort of the scores.

Every curve, AUC, average precision and DeLong's placements come from
:class:`CurveCounts`: the distinct scores (descending) and the number of
positives and negatives scoring at or above each. For unweighted,
non-negative scores (probabilities) the label is packed into the sort key: a
non-negative float64's sign bit is always 0, so ``bits << 1 | label`` is a
lossless uint64 key whose value sort (numpy's fast path, no argsort) orders
scores and carries the labels along.

Example:
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> c = binary_counts(np.array([False, False, True, True]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> c.thresholds.tolist(), c.tps.tolist(), c.fps.tolist()
    ([0.8, 0.4, 0.35, 0.1], [1.0, 1.0, 2.0, 2.0], [0.0, 1.0, 1.0, 2.0])
"""

from __future__ import annotations

import os
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import numpy as np

from evalcore.errors import InputError, InputNotImplementedError, warn_undefined_metric
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

_ONE = np.uint64(1)


@dataclass(frozen=True)
class CurveCounts:
    """Cumulative counts at each distinct score, highest score first.

    ``tps[i]``/``fps[i]``: weight of positives/negatives with score >= thresholds[i].
    """

    thresholds: np.ndarray
    tps: np.ndarray
    fps: np.ndarray
    work: Scratch | None = field(default=None, compare=False, repr=False)

    @cached_property
    def steps(self) -> tuple[np.ndarray, np.ndarray]:
        """Positives and negatives at each distinct score (the increments of tps and fps), computed once."""
        return np.diff(self.tps, prepend=0.0), np.diff(self.fps, prepend=0.0)

    @property
    def n_pos(self) -> float:
        return float(self.tps[-1]) if len(self.tps) else 0.0

    @property
    def n_neg(self) -> float:
        return float(self.fps[-1]) if len(self.fps) else 0.0

    def at(self, threshold: float) -> tuple[float, float]:
        """(tp, fp) for the rule ``score >= threshold``, in O(log n)."""
        # thresholds are descending; their reversed view is ascending (and contiguous, as built)
        i = self.thresholds.shape[0] - int(np.searchsorted(self.thresholds[::-1], threshold, side="left"))
        if i == 0:
            return 0.0, 0.0
        return float(self.tps[i - 1]), float(self.fps[i - 1])


class Scratch:
    """Work arrays reused across one thread's one-vs-rest passes over the same number of rows.

    At 10M rows every temporary is 80 MB of fresh pages, and the kernel zeroes each page on first touch
    (measured: ~4 s of system time per 10-class evaluation without reuse). Arrays a :class:`CurveCounts`
    built with a scratch points into stay valid until the scratch is used again.

    >>> s = Scratch(4); a = s.array("x"); a is s.array("x"), s.array("x", length=2).shape
    (True, (2,))
    """

    def __init__(self, n: int):
        self.n = n
        self._arrays: dict[tuple[str, str], np.ndarray] = {}

    def array(self, name: str, dtype=np.float64, length: int | None = None) -> np.ndarray:
        key = (name, np.dtype(dtype).str)
        a = self._arrays.get(key)
        if a is None:
            a = self._arrays[key] = np.empty(self.n, dtype)
        return a if length is None else a[:length]

    def rows(self) -> np.ndarray:
        """0, 1, ..., n-1 as float64 (filled once)."""
        key = ("rows", "<f8")
        if key not in self._arrays:
            self._arrays[key] = np.arange(self.n, dtype=np.float64)
        return self._arrays[key]


def _empty(scratch: Scratch | None, name: str, length: int, dtype=np.float64) -> np.ndarray:
    return np.empty(length, dtype) if scratch is None else scratch.array(name, dtype, length)


def temporary(c: CurveCounts) -> np.ndarray:
    """A float64 work array as long as the curve: the scratch's when the counts have one."""
    return _empty(c.work, "temporary", c.tps.shape[0])


PARALLEL_SORT_MIN = 1_000_000  # below this, one sort is faster than two half sorts and a merge


def _sort_in_place(key: np.ndarray, parallel: bool = True) -> np.ndarray:
    """Value sort; large arrays sort their halves on two threads (numpy frees the GIL) and merge them."""
    if not parallel or key.shape[0] < PARALLEL_SORT_MIN or (os.cpu_count() or 1) < 2:
        key.sort()
        return key
    half = key.shape[0] // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(np.ndarray.sort, (key[:half], key[half:])))
    return np.sort(key, kind="stable")  # timsort finds the two sorted runs: a linear merge


def _packed_counts(is_pos: np.ndarray, score: np.ndarray, parallel: bool = True,
                   scratch: Scratch | None = None) -> CurveCounts:
    """Unweighted, non-negative scores: one uint64 value sort with the label in bit 0.

    After the sort, equal scores are adjacent; a group of equal scores ends where the score bits
    (``key >> 1``) change. Positives at or above each score come from a running count of the label bit.
    With ``scratch``, every n-row array comes from it (the result points into it).
    """
    n = score.shape[0]
    key = _empty(scratch, "key", n, np.uint64)
    np.copyto(key.view(np.float64), score, casting="unsafe")
    key.view(np.float64)[...] += 0.0  # turns -0.0 into +0.0 so the sign bit is free
    key <<= _ONE
    key |= is_pos
    key = _sort_in_place(key, parallel)
    label = _empty(scratch, "label", n, np.uint8)
    np.bitwise_and(key.view(np.uint8)[::8] if sys.byteorder == "little" else key, 1, out=label,
                   casting="unsafe")
    key >>= _ONE  # the score bits, sorted; equal scores are adjacent
    values = key
    positives_below = _empty(scratch, "below", n, np.int64)  # positives strictly below each row
    positives_below[0] = 0
    np.cumsum(label[:-1], dtype=np.int64, out=positives_below[1:])  # int64: ~3x faster than a float cumsum
    n_pos = float(positives_below[-1] + label[-1])
    group_end = _empty(scratch, "group_end", n, bool)
    group_end[-1] = True
    np.not_equal(values[1:], values[:-1], out=group_end[:-1])
    if group_end.all():  # every score distinct: no gathering needed
        ends = None
        rows_below = scratch.rows() if scratch is not None else np.arange(n, dtype=np.float64)
        tps = np.subtract(n_pos, positives_below, out=_empty(scratch, "tps", n))  # at or above (ascending)
    else:
        ends = np.flatnonzero(group_end)
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        values = values[starts]
        tps = np.subtract(n_pos, positives_below[starts])
        rows_below = starts.astype(np.float64)
    fps = np.subtract(n, rows_below, out=_empty(scratch, "fps", tps.shape[0]))
    fps -= tps
    counts = CurveCounts(values.view(np.float64)[::-1].astype(score.dtype, copy=False), tps[::-1], fps[::-1],
                         work=scratch)
    if ends is None:  # one row per score: the steps are the label bits themselves (saves two diffs)
        p = _empty(scratch, "p", n)
        np.copyto(p, label[::-1])
        counts.__dict__["steps"] = (p, np.subtract(1.0, p, out=_empty(scratch, "q", n)))
    return counts


def _sorted_counts(is_pos: np.ndarray, score: np.ndarray, weight: np.ndarray | None) -> CurveCounts:
    """General path (negative scores or sample weights): one argsort."""
    if weight is not None:
        keep = weight != 0
        if not keep.all():
            is_pos, score, weight = is_pos[keep], score[keep], weight[keep]
    if score.shape[0] == 0:
        empty = np.array([], dtype=np.float64)
        return CurveCounts(score[:0], empty, empty)
    order = np.argsort(score, kind="stable")
    s = score[order]
    lab = is_pos[order]
    starts = np.concatenate(([0], np.flatnonzero(s[1:] != s[:-1]) + 1))
    if weight is None:
        pos = np.add.reduceat(lab.astype(np.float64), starts)
        cnt = np.diff(np.append(starts, s.shape[0])).astype(np.float64)
        neg = cnt - pos
    else:
        w = weight[order].astype(np.float64)
        pos = np.add.reduceat(np.where(lab, w, 0.0), starts)
        neg = np.add.reduceat(np.where(lab, 0.0, w), starts)
    return _from_ascending(s[starts], pos, neg, score.dtype)


def _from_ascending(values, pos_per_value, neg_per_value, dtype) -> CurveCounts:
    tps = np.cumsum(pos_per_value[::-1])
    fps = np.cumsum(neg_per_value[::-1])
    return CurveCounts(values[::-1].astype(dtype, copy=False), tps, fps)


def binary_counts(is_pos: np.ndarray, score: np.ndarray, weight: np.ndarray | None = None,
                  parallel: bool = True, scratch: Scratch | None = None) -> CurveCounts:
    """Counts of positives/negatives at or above each distinct score.

    ``parallel=False`` keeps the sort on the calling thread (for callers that already run one class per thread);
    ``scratch`` reuses its work arrays (the result is valid until the scratch is used again).
    """
    is_pos = np.asarray(is_pos, dtype=bool)
    if weight is None and score.dtype.kind in "fiu" and score.shape[0] and score.min() >= 0 \
            and (score.dtype.kind == "f" or score.max() < 2 ** 53):
        return _packed_counts(is_pos, score, parallel, scratch)
    return _sorted_counts(is_pos, score, weight)


def per_column(fn, columns, n_rows: int) -> list:
    """``fn(k)`` for each column, two at a time on threads when the data is large (numpy frees the GIL)."""
    columns = list(columns)
    if len(columns) > 1 and n_rows > 200_000 and (os.cpu_count() or 1) > 1:
        with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 2)) as pool:
            return list(pool.map(fn, columns))
    return [fn(k) for k in columns]


def per_class_counts(codes: np.ndarray, scores: np.ndarray, columns, weight=None) -> list[CurveCounts]:
    """One-vs-rest counts for each requested column."""
    return per_column(lambda k: binary_counts(codes == k, np.ascontiguousarray(scores[:, k]), weight,
                                              parallel=False), columns, scores.shape[0])


# ---------------------------------------------------------------- curves from counts


def roc_from_counts(c: CurveCounts, drop_intermediate: bool = True, warn: bool = True):
    """fpr, tpr, thresholds exactly as scikit-learn's roc_curve."""
    fps, tps, thr = c.fps, c.tps, c.thresholds
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.flatnonzero(np.concatenate(([True], np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), [True])))
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    tps = np.concatenate(([0.0], tps))
    fps = np.concatenate(([0.0], fps))
    thr = np.concatenate(([np.inf], thr.astype(np.float64)))
    return _rate(fps, "negative", "false", warn), _rate(tps, "positive", "true", warn), thr


def _rate(cumulative: np.ndarray, kind: str, which: str, warn: bool) -> np.ndarray:
    """Cumulative counts as a rate; NaN (with scikit-learn's warning) when the class is absent."""
    if cumulative[-1] <= 0:
        if warn:
            warn_undefined_metric(f"No {kind} samples in y_true, {which} positive value should be meaningless",
                                  stacklevel=4)
        return np.full(cumulative.shape, np.nan)
    return cumulative / cumulative[-1]


def pr_from_counts(c: CurveCounts, drop_intermediate: bool = False, warn: bool = True):
    """precision, recall, thresholds exactly as scikit-learn's precision_recall_curve."""
    fps, tps, thr = c.fps, c.tps, c.thresholds
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.flatnonzero(np.concatenate(([True], np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), [True])))
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    ps = tps + fps
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(ps != 0, tps / np.where(ps != 0, ps, 1), 0.0)
    if tps[-1] == 0:
        if warn:
            warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.",
                          UserWarning, stacklevel=3)
        recall = np.full(tps.shape, 1.0)
    else:
        recall = tps / tps[-1]
    return (np.concatenate((precision[::-1], [1.0])), np.concatenate((recall[::-1], [0.0])), thr[::-1])


def average_precision_from_counts(c: CurveCounts) -> float:
    """Step-wise (uninterpolated) average precision: sum of recall steps times precision.

    Equals scikit-learn's ``-sum(diff(recall) * precision[:-1])`` without building the curve.
    """
    if c.n_pos <= 0:
        return 0.0  # no positives: precision is 0 at every step, as in scikit-learn
    p, _ = c.steps
    precision = np.add(c.tps, c.fps, out=temporary(c))
    np.divide(c.tps, precision, out=precision)
    return float(max(0.0, np.dot(p, precision) / c.n_pos))


def auc_from_counts(c: CurveCounts) -> float:
    """ROC AUC as the Mann-Whitney statistic (identical to the trapezoid rule); NaN when a class is missing."""
    m, n = c.n_pos, c.n_neg
    if m <= 0 or n <= 0:
        return np.nan
    p, q = c.steps
    below = np.multiply(q, 0.5, out=temporary(c))  # negatives below each score, ties counted 1/2
    below -= c.fps
    below += n
    return float(np.dot(p, below) / (m * n))


@dataclass(frozen=True)
class DeLong:
    """AUC and its DeLong variance (unweighted counts)."""

    auc: float
    variance: float


def delong_from_counts(c: CurveCounts) -> DeLong:
    """DeLong's AUC variance from structural components grouped by distinct score.

    >>> d = delong_from_counts(binary_counts(np.array([0, 0, 1, 1], bool), np.array([0.1, 0.4, 0.35, 0.8])))
    >>> round(d.auc, 4), round(d.variance, 4)
    (0.75, 0.125)
    """
    m, n = c.n_pos, c.n_neg
    if m <= 0 or n <= 0:
        return DeLong(np.nan, np.nan)
    p, q = c.steps
    # For a positive at this score: share of negatives below (ties 1/2). Built in place: at 10M distinct
    # scores every temporary is 80 MB of fresh pages.
    v10 = np.multiply(q, 0.5, out=temporary(c))
    v10 -= c.fps
    v10 += n
    v10 /= n
    auc = float(np.dot(p, v10) / m)
    v10 -= auc
    v10 *= v10
    s10 = np.dot(p, v10) / (m - 1) if m > 1 else 0.0
    v01 = np.multiply(p, -0.5, out=v10)  # for a negative at this score: share of positives above (ties 1/2)
    v01 += c.tps
    v01 /= m
    v01 -= auc
    v01 *= v01
    s01 = np.dot(q, v01) / (n - 1) if n > 1 else 0.0
    return DeLong(auc, float(s10 / m + s01 / n))


# ---------------------------------------------------------------- public API


def auc(x, y):
    """Area under a curve given by points (x, y), x monotonic.

    >>> auc([0, 0.5, 1], [0, 0.75, 1])
    0.625
    """
    x = as_array(x, "x").astype(np.float64)
    y = as_array(y, "y").astype(np.float64)
    check_consistent_length(x, y)
    if x.shape[0] < 2:
        raise InputError(f"Expected at least 2 points to compute an area under a curve, found {x.shape[0]}. "
                         f"Fix: pass more points.")
    direction = 1
    dx = np.diff(x)
    if np.any(dx < 0):
        if np.all(dx <= 0):
            direction = -1
        else:
            raise InputError("Expected x to be increasing or decreasing, found neither. Fix: sort the points by x.")
    return float(direction * np.trapezoid(y, x))


def _binary_target(y_true, pos_label, allow_multiclass: bool):
    yt = as_array(y_true, "y_true")
    y_type = type_of_target(yt, "y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None and allow_multiclass)):
        raise InputError(f"Expected binary y_true (or pass pos_label), found {y_type} y_true. "
                         f"Fix: pass binary labels or choose the positive class with pos_label.")
    enc = encode(yt, names=("y_true",))
    pos_label = resolve_pos_label(enc.classes, pos_label)
    idx = label_positions(enc.classes, [pos_label])[0]
    is_pos = enc.codes[0] == idx if idx >= 0 else np.zeros(len(yt), dtype=bool)
    return is_pos


def _curve_inputs(y_true, y_score, pos_label, sample_weight):
    is_pos = _binary_target(y_true, pos_label, allow_multiclass=True)
    score = check_scores(y_score)
    if score.ndim != 1:
        raise InputError(f"Expected one score per sample, found y_score of shape {score.shape}. "
                         f"Fix: pass the score of the positive class only.")
    check_consistent_length(is_pos, score, sample_weight)
    weight = check_sample_weight(sample_weight, len(score))
    return binary_counts(is_pos, score, weight)


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic: fpr, tpr, thresholds (thresholds[0] is inf)."""
    return roc_from_counts(_curve_inputs(y_true, y_score, pos_label, sample_weight), drop_intermediate)


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision-recall pairs for every distinct threshold."""
    return pr_from_counts(_curve_inputs(y_true, y_score, pos_label, sample_weight), drop_intermediate)


def _binary_roc_auc(is_pos, score, weight, max_fpr=None) -> float:
    if is_pos.all() or not is_pos.any():
        warn_undefined_metric("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                              stacklevel=4)
        return np.nan
    c = binary_counts(is_pos, score, weight)
    if max_fpr is None or max_fpr == 1:
        return auc_from_counts(c)
    return _partial_auc(c, max_fpr)


def _partial_auc(c: CurveCounts, max_fpr: float) -> float:
    if max_fpr <= 0 or max_fpr > 1:
        raise InputError(f"Expected max_fpr in (0, 1], found {max_fpr!r}. Fix: pass a value in that range.")
    fpr, tpr, _ = roc_from_counts(c)
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr = np.append(tpr[:stop], np.interp(max_fpr, [fpr[stop - 1], fpr[stop]], [tpr[stop - 1], tpr[stop]]))
    fpr = np.append(fpr[:stop], max_fpr)
    partial = float(np.trapezoid(tpr, fpr))
    min_area = 0.5 * max_fpr ** 2
    return float(0.5 * (1 + (partial - min_area) / (max_fpr - min_area)))


def _average_scores(scores: np.ndarray, average, weights=None):
    if average is None:
        return scores
    if weights is not None:
        if np.isclose(np.sum(weights), 0):
            return 0
        scores = np.where(weights == 0, 0, scores)
        return float(np.average(scores, weights=weights))
    return float(np.mean(scores))


def _check_average(average, options):
    if average not in options:
        raise InputError(f"Expected average to be one of {options}, found {average!r}. Fix: pick one of those.")


def _columns_metric(metric, y_true_2d: np.ndarray, scores: np.ndarray, average, weight):
    """scikit-learn's _average_binary_score for indicator targets."""
    _check_average(average, (None, "micro", "macro", "weighted", "samples"))
    if y_true_2d.shape != scores.shape:
        raise InputError(f"Expected y_score of shape {y_true_2d.shape} (one column per label), found "
                         f"{scores.shape}. Fix: pass one score column per label.")
    if average == "micro":
        w = np.repeat(weight, y_true_2d.shape[1]) if weight is not None else None
        return metric(y_true_2d.ravel() != 0, scores.ravel(), w)
    avg_weight = None
    score_weight = weight
    if average == "weighted":
        avg_weight = (y_true_2d * (weight[:, None] if weight is not None else 1)).sum(axis=0)
        if np.isclose(np.sum(avg_weight), 0):
            return 0
    if average == "samples":
        avg_weight, score_weight = weight, None
        out = np.array([metric(y_true_2d[i] != 0, scores[i], None) for i in range(y_true_2d.shape[0])])
    else:
        out = np.array([metric(y_true_2d[:, k] != 0, np.ascontiguousarray(scores[:, k]), score_weight)
                        for k in range(y_true_2d.shape[1])])
    if average is None:
        return out
    if avg_weight is not None:
        out = np.where(avg_weight == 0, 0, out)
        return float(np.average(out, weights=avg_weight))
    return float(np.mean(out))


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise",
                  labels=None):
    """Area under the ROC curve: binary, multiclass (ovr/ovo) and multilabel.

    >>> roc_auc_score([0, 1, 2, 2], [[.8, .1, .1], [.2, .7, .1], [.1, .2, .7], [.3, .3, .4]], multi_class="ovr")
    1.0
    """
    yt = as_array(y_true, "y_true")
    y_type = type_of_target(yt, "y_true")
    score = check_scores(y_score)
    check_consistent_length(yt, score, sample_weight)
    if y_type == "binary" and score.ndim == 1 and len(encode(yt, names=("y_true",)).classes) < 2:
        warn_undefined_metric("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                              stacklevel=2)
        return np.nan
    weight = check_sample_weight(sample_weight, len(yt))
    if y_type == "multiclass" or (y_type == "binary" and score.ndim == 2 and score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise InputError(f"Expected max_fpr=None for multiclass ROC AUC, found max_fpr={max_fpr}. "
                             f"Fix: partial AUC is only available for binary targets.")
        if multi_class == "raise":
            raise InputError("Expected multi_class='ovr' or 'ovo' for multiclass targets, found 'raise'. "
                             "Fix: pass multi_class='ovr' (one-vs-rest) or 'ovo' (one-vs-one).")
        return _multiclass_roc_auc(yt, score, labels, multi_class, average, weight)
    if y_type == "binary":
        if score.ndim != 1:
            raise InputError(f"Expected one score per sample for binary y_true, found shape {score.shape}. "
                             f"Fix: pass the score of the greater label only (column 1 of predict_proba).")
        _check_average(average, (None, "micro", "macro", "weighted", "samples"))
        enc = encode(yt, names=("y_true",))
        is_pos = enc.codes[0] == len(enc.classes) - 1 if len(enc.classes) == 2 else np.zeros(len(yt), bool)
        return _binary_roc_auc(is_pos, score, weight, max_fpr)
    if y_type == "multilabel-indicator":
        return _columns_metric(lambda t, s, w: _binary_roc_auc(t, s, w, max_fpr), yt, score, average, weight)
    raise InputError(f"Expected binary, multiclass or multilabel y_true, found {y_type}. "
                     f"Fix: ROC AUC needs class labels.")


def _multiclass_roc_auc(yt, score, labels, multi_class, average, weight):
    _check_multiclass_options(score, multi_class, average)
    codes, classes = _multiclass_codes(yt, score, labels)
    if multi_class == "ovo":
        if weight is not None:
            raise InputError("Expected no sample_weight for one-vs-one ROC AUC, found weights. "
                             "Fix: use multi_class='ovr' or drop sample_weight.")
        return _ovo_auc(codes, score, average)
    k = len(classes)
    if average == "micro":
        onehot = np.zeros(score.shape, dtype=bool)
        onehot[np.arange(len(codes)), codes] = True
        w = np.repeat(weight, k) if weight is not None else None
        return _binary_roc_auc(onehot.ravel(), score.ravel(), w)
    counts = per_class_counts(codes, score, range(k), weight)
    aucs = np.array([auc_from_counts(c) for c in counts])
    if np.isnan(aucs).any():
        warn_undefined_metric("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                              stacklevel=3)
    if average == "weighted":
        support = np.array([c.n_pos for c in counts])
        return _average_scores(aucs, average, support)
    return _average_scores(aucs, average)


def _check_multiclass_options(score: np.ndarray, multi_class, average) -> None:
    """The checks scikit-learn makes before a multiclass ROC AUC, in its order."""
    if score.ndim != 2:
        raise InputError(f"Expected y_score of shape (n_samples, n_classes) since y_true has several classes, "
                         f"found shape {score.shape}. Fix: pass one probability column per class.")
    if not np.allclose(1, score.sum(axis=1)):
        raise InputError("Expected probabilities that sum to 1 over classes for multiclass ROC AUC, found rows "
                         "that do not. Fix: pass predict_proba output (apply softmax to raw scores).")
    options = ("macro", "weighted", None) if multi_class != "ovr" else ("micro", "macro", "weighted", None)
    _check_average(average, options)
    if multi_class not in ("ovo", "ovr"):
        raise InputError(f"Expected multi_class 'ovr' or 'ovo', found {multi_class!r}. Fix: pick one of those.")
    if average is None and multi_class == "ovo":
        raise InputNotImplementedError("Expected an average for multi_class='ovo', found average=None. "
                                       "Fix: use average='macro' or 'weighted'.")


def _multiclass_codes(yt, score: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray]:
    """The true labels' codes into the score columns' classes (``labels``, or the sorted classes of y_true)."""
    enc_true = encode(yt, names=("y_true",))
    if labels is not None:
        labels = np.asarray(labels).ravel()
        enc_lab = encode(labels, names=("labels",))
        if len(enc_lab.classes) != len(labels):
            raise InputError("Expected unique values in labels, found duplicates. Fix: list each label once.")
        if not np.array_equal(enc_lab.classes, labels):
            raise InputError("Expected labels in sorted order, found them unsorted. Fix: sort the labels.")
        if len(labels) != score.shape[1]:
            raise InputError(f"Expected {score.shape[1]} labels (one per score column), found {len(labels)}. "
                             f"Fix: pass one label per column of y_score.")
        classes = labels
        pos = label_positions(classes, enc_true.classes)
        if (pos < 0).any():
            raise InputError("Expected every y_true value among labels, found values missing from labels. "
                             "Fix: add them to labels.")
        codes = pos[enc_true.codes[0]]
    else:
        classes = enc_true.classes
        codes = enc_true.codes[0]
        if len(classes) != score.shape[1]:
            raise InputError(f"Expected as many score columns as classes in y_true ({len(classes)}), found "
                             f"{score.shape[1]}. Fix: pass labels= with every class, in column order.")
    return codes, classes


def _ovo_auc(codes: np.ndarray, score: np.ndarray, average) -> float:
    present = np.unique(codes)
    pairs = list(combinations(present.tolist(), 2))
    pair_scores = np.empty(len(pairs))
    prevalence = np.empty(len(pairs))
    for i, (a, b) in enumerate(pairs):
        mask = (codes == a) | (codes == b)
        prevalence[i] = mask.mean()
        ya = codes[mask] == a
        auc_a = _binary_roc_auc(ya, np.ascontiguousarray(score[mask, a]), None)
        auc_b = _binary_roc_auc(~ya, np.ascontiguousarray(score[mask, b]), None)
        pair_scores[i] = (auc_a + auc_b) / 2
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: the step-wise area under the precision-recall curve.

    >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.8333333333333333
    """
    yt = as_array(y_true, "y_true")
    y_type = type_of_target(yt, "y_true")
    score = check_scores(y_score)
    check_consistent_length(yt, score, sample_weight)
    weight = check_sample_weight(sample_weight, len(yt))

    def ap(is_pos, s, w):
        return _warned_average_precision(binary_counts(is_pos, s, w))

    if y_type == "binary":
        enc = encode(yt, names=("y_true",))
        present = enc.classes.tolist()
        if len(present) == 2 and pos_label not in present:
            raise InputError(f"Expected pos_label to be one of {present}, found pos_label={pos_label!r}. "
                             f"Fix: pass pos_label= the positive class.")
        _check_average(average, (None, "micro", "macro", "weighted", "samples"))
        if score.ndim != 1:
            raise InputError(f"Expected one score per sample for binary y_true, found shape {score.shape}. "
                             f"Fix: pass the positive class's score only.")
        idx = label_positions(enc.classes, [pos_label])[0]
        is_pos = enc.codes[0] == idx if idx >= 0 else np.zeros(len(yt), bool)
        return ap(is_pos, score, weight)
    if y_type == "multilabel-indicator":
        if pos_label != 1:
            raise InputError("Expected pos_label=1 for multilabel y_true, found another value. "
                             "Fix: do not set pos_label.")
        return _columns_metric(ap, yt, score, average, weight)
    if y_type == "multiclass":
        if pos_label != 1:
            raise InputError("Expected pos_label=1 for multiclass y_true, found another value. "
                             "Fix: do not set pos_label.")
        enc = encode(yt, names=("y_true",))
        k = len(enc.classes)
        if score.shape != (len(yt), k):
            raise InputError(f"Expected y_score of shape (n_samples, n_classes) = {(len(yt), k)}, found "
                             f"{score.shape}. Fix: pass one score column per class, in sorted class order.")
        _check_average(average, (None, "micro", "macro", "weighted", "samples"))
        if average in ("micro", "samples"):
            onehot = np.zeros(score.shape, dtype=np.int8)
            onehot[np.arange(len(yt)), enc.codes[0]] = 1
            return _columns_metric(ap, onehot, score, average, weight)
        counts = per_class_counts(enc.codes[0], score, range(k), weight)
        aps = np.array([_warned_average_precision(c) for c in counts])
        if average == "weighted":
            return _average_scores(aps, average, np.array([c.n_pos for c in counts]))
        return _average_scores(aps, average)
    raise InputError(f"Expected binary, multiclass or multilabel y_true, found {y_type}. "
                     f"Fix: average precision needs class labels.")


def _warned_average_precision(c: CurveCounts) -> float:
    """Average precision with the warning scikit-learn's precision-recall curve gives when there is no positive."""
    if c.n_pos == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.", UserWarning,
                      stacklevel=4)
    return average_precision_from_counts(c)


def top_k_accuracy_score(y_true, y_score, *, k=2, normalize=True, sample_weight=None, labels=None):
    """Fraction of samples whose true label is among the k highest scores."""
    yt = as_array(y_true, "y_true")
    y_type = type_of_target(yt, "y_true")
    if y_type == "binary" and labels is not None and len(labels) > 2:
        y_type = "multiclass"
    if y_type not in ("binary", "multiclass"):
        raise InputError(f"Expected binary or multiclass y_true, found {y_type}. Fix: pass one label per sample.")
    score = check_scores(y_score)
    if y_type == "binary":
        if score.ndim == 2 and score.shape[1] != 1:
            raise InputError(f"Expected one score per sample for binary y_true, found {score.shape[1]} columns. "
                             f"Fix: if y_true lacks some labels, pass labels= with all of them.")
    elif score.ndim != 2:
        raise InputError(f"Expected y_score of shape (n_samples, n_classes), found {score.shape}. "
                         f"Fix: pass one score column per class.")
    check_consistent_length(yt, score, sample_weight)
    weight = check_sample_weight(sample_weight, len(yt))
    n_score_classes = score.shape[1] if score.ndim == 2 else 2
    enc = encode(yt, names=("y_true",))
    if labels is None:
        classes = enc.classes
        if len(classes) != n_score_classes:
            raise InputError(f"Expected as many classes in y_true ({len(classes)}) as score columns "
                             f"({n_score_classes}). Fix: pass labels= with all known classes.")
        codes = enc.codes[0]
    else:
        labels = np.asarray(labels).ravel()
        enc_lab = encode(labels, names=("labels",))
        if len(enc_lab.classes) != len(labels):
            raise InputError("Expected unique labels, found duplicates. Fix: list each label once.")
        if not np.array_equal(enc_lab.classes, labels):
            raise InputError("Expected labels in sorted order, found them unsorted. Fix: sort the labels.")
        if len(labels) != n_score_classes:
            raise InputError(f"Expected {n_score_classes} labels (one per score column), found {len(labels)}. "
                             f"Fix: pass one label per column.")
        pos = label_positions(labels, enc.classes)
        if (pos < 0).any():
            raise InputError("Expected every y_true value among labels, found values missing from labels. "
                             "Fix: add them to labels.")
        codes = pos[enc.codes[0]]
    if k >= n_score_classes:
        warn_undefined_metric(f"'k' ({k}) greater than or equal to 'n_classes' ({n_score_classes}) will result in a "
                              f"perfect score and is therefore meaningless.", stacklevel=2)
    if y_type == "binary":
        if k == 1:
            threshold = 0.5 if score.min() >= 0 and score.max() <= 1 else 0
            hits = (score > threshold).astype(np.int64) == codes
        else:
            hits = np.ones(score.shape, dtype=bool)
    else:
        top = np.argsort(score, axis=1, kind="mergesort")[:, ::-1][:, :k]
        hits = (top == codes[:, None]).any(axis=1)
    return float(weighted_average(hits, weight, normalize=normalize))
