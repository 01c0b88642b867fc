"""Count metrics, all derived from one confusion matrix built by ``np.bincount``.

Same names, arguments, defaults and results as scikit-learn 1.9.

Example:
    >>> precision_score([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"]).tolist()
    [[1, 0], [1, 1]]
"""

from __future__ import annotations

import warnings

import numpy as np

from evalcore.errors import InputError, warn_undefined_metric
from evalcore.metrics._counts import divide, f_beta
from evalcore.metrics._validation import Targets, check_targets, label_positions, weighted_average

AVERAGE_OPTIONS = (None, "micro", "macro", "weighted", "samples")


# ---------------------------------------------------------------- confusion matrices


def confusion_counts(codes_true: np.ndarray, codes_pred: np.ndarray, n_classes: int,
                     weight: np.ndarray | None = None) -> np.ndarray:
    """The K x K confusion matrix of integer codes with one bincount.

    >>> confusion_counts(np.array([0, 1, 1]), np.array([0, 0, 1]), 2).tolist()
    [[1, 0], [1, 1]]
    """
    k = n_classes
    flat = codes_true.astype(np.int64) * k + codes_pred
    if weight is not None and weight.dtype.kind in "biu":
        # scikit-learn sums integer weights in int64, exactly and wrapping on overflow; bincount would use float64
        summed = np.zeros(k * k, dtype=np.int64)
        np.add.at(summed, flat, weight.astype(np.int64, copy=False))
        return summed.reshape(k, k)
    cm = np.bincount(flat, weights=weight, minlength=k * k).reshape(k, k)
    return cm.astype(np.int64, copy=False) if weight is None else cm


def _targets_cm(t: Targets) -> np.ndarray:
    return confusion_counts(t.true, t.pred, len(t.classes), t.weight)


def _require_1d(t: Targets, what: str = "This metric") -> None:
    if t.y_type not in ("binary", "multiclass"):
        raise InputError(f"Expected binary or multiclass labels, found {t.y_type} targets. "
                         f"Fix: {what} needs one label per sample.")


def _select(cm: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Sub-matrix for requested label positions; absent labels (-1) give zero rows/columns."""
    k = len(pos)
    out = np.zeros((k, k), dtype=cm.dtype)
    ok = pos >= 0
    idx = np.flatnonzero(ok)
    out[np.ix_(idx, idx)] = cm[np.ix_(pos[ok], pos[ok])]
    return out


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix: rows are true labels, columns are predicted labels.

    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]).tolist()
    [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    """
    if normalize not in (None, "true", "pred", "all"):
        raise InputError(f"Expected normalize to be one of 'true', 'pred', 'all' or None, found {normalize!r}. "
                         f"Fix: pick one of those.")
    t = check_targets(y_true, y_pred, sample_weight)
    _require_1d(t, "confusion_matrix")
    cm = _targets_cm(t)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise InputError("Expected at least one label in 'labels', found none. Fix: pass the labels to show.")
        pos = label_positions(t.classes, labels)
        true_counts = np.bincount(t.true, minlength=len(t.classes))
        if not any(p >= 0 and true_counts[p] > 0 for p in pos):
            raise InputError("Expected at least one label in 'labels' to be present in y_true, found none. "
                             "Fix: check the spelling and type of the labels.")
        cm = _select(cm, pos)
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warnings.warn("A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have the "
                      "correct shape, use the 'labels' parameter to pass all known labels.", UserWarning, stacklevel=2)
    return cm


def _mcm_arrays(t: Targets, labels=None, samplewise: bool = False):
    """tp, pred_sum, true_sum and the total (per label, or per sample when samplewise)."""
    if t.y_type != "multilabel-indicator":
        if samplewise:
            raise InputError("Expected multilabel targets for samplewise metrics (average='samples'), found "
                             f"{t.y_type} targets. Fix: use average='micro', 'macro' or 'weighted'.")
        k = len(t.classes)
        if t.weight is None:
            cm = _targets_cm(t)
            tp, pred_sum, true_sum = np.diag(cm).copy(), cm.sum(axis=0), cm.sum(axis=1)
            if not tp.any():  # scikit-learn then starts from float zeros, so supports print as floats
                tp = np.zeros(k)
        else:  # per-class sums in data order, bit-identical to scikit-learn's weighted bincounts
            w = t.weight.astype(np.float64)
            hit = t.true == t.pred
            tp = np.bincount(t.true[hit], weights=w[hit], minlength=k)
            pred_sum = np.bincount(t.pred, weights=w, minlength=k)
            true_sum = np.bincount(t.true, weights=w, minlength=k)
        total = t.weight.sum() if t.weight is not None else t.n_samples
        if labels is not None:
            pos = label_positions(t.classes, labels)
            ok = pos >= 0
            sel = np.where(ok, pos, 0)
            tp, pred_sum, true_sum = (np.where(ok, a[sel], 0) for a in (tp, pred_sum, true_sum))
        return _via_mcm(tp, pred_sum, true_sum, total)
    yt, yp = t.true, t.pred
    n_cols = yt.shape[1]
    if labels is not None:
        labels = np.asarray(labels)
        if labels.dtype.kind not in "iu":
            raise InputError(f"Expected integer column indices as labels for multilabel targets, found "
                             f"{labels.dtype}. Fix: pass labels in [0, {n_cols}).")
        if labels.max() > n_cols - 1:
            raise InputError(f"Expected labels in [0, {n_cols}) for multilabel targets, found {labels.max()}. "
                             f"Fix: pass valid column indices.")
        if labels.min() < 0:
            raise InputError(f"Expected labels in [0, {n_cols}) for multilabel targets, found {labels.min()}. "
                             f"Fix: pass valid column indices.")
        yt, yp = yt[:, labels], yp[:, labels]
    axis = 1 if samplewise else 0
    both = (yt != 0) & (yp != 0)

    def count(m):
        if t.weight is None:
            return np.count_nonzero(m, axis=axis)
        if samplewise:  # scikit-learn: a sparse matrix's row counts (its index dtype) times the weights, exactly
            counts = np.count_nonzero(m, axis=1)
            index = np.int32 if max(int(counts.sum()), *m.shape) < 2**31 else np.int64
            return counts.astype(index) * t.weight
        return t.weight.astype(np.float64) @ (m != 0)

    tp, pred_sum, true_sum = count(both), count(yp), count(yt)
    if samplewise:
        total = yt.shape[1] if t.weight is None else t.weight * yt.shape[1]
    else:
        total = t.weight.sum() if t.weight is not None else yt.shape[0]
    return _via_mcm(tp, pred_sum, true_sum, total)


def _via_mcm(tp, pred_sum, true_sum, total):
    """Sums rebuilt from fp/fn as scikit-learn does (tp + fp), so weighted floats agree to the last bit."""
    fp = pred_sum - tp
    fn = true_sum - tp
    return tp, tp + fp, tp + fn, total


def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None, samplewise=False):
    """One 2x2 matrix [[tn, fp], [fn, tp]] per label (or per sample when samplewise).

    >>> multilabel_confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
    [[[1, 1], [0, 1]], [[1, 0], [1, 1]]]
    """
    t = check_targets(y_true, y_pred, sample_weight)
    tp, pred_sum, true_sum, total = _mcm_arrays(t, labels, samplewise)
    fp = pred_sum - tp
    fn = true_sum - tp
    tn = total - tp - fp - fn
    return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2)


# ---------------------------------------------------------------- precision / recall / F


def _zero_division_value(zero_division) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and not isinstance(zero_division, bool) and zero_division in (0, 1):
        return float(zero_division)
    if isinstance(zero_division, float) and np.isnan(zero_division):
        return np.nan
    if isinstance(zero_division, str) and zero_division == "nan":
        return np.nan
    raise InputError(f"Expected zero_division to be 'warn', 0.0, 1.0 or np.nan, found {zero_division!r}. "
                     f"Fix: pick one of those.")


def prf_divide(numerator, denominator, metric: str, modifier: str, average, warn_for, zero_division="warn"):
    """Divide, replacing 0/0 by the zero_division policy (scikit-learn's _prf_divide): the count kernel's
    :func:`~evalcore.metrics._counts.divide`, plus scikit-learn's warning."""
    denominator = np.asarray(denominator, dtype=np.float64)
    mask = denominator == 0
    if not mask.any():
        return divide(numerator, denominator)
    result = divide(numerator, denominator, _zero_division_value(zero_division))
    if zero_division == "warn" and metric in warn_for:
        axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
        where = "due to" if result.shape[0] == 1 else f"in {axis1}s with"
        warn_undefined_metric(f"{metric.capitalize()} is ill-defined and being set to 0.0 {where} no {modifier} "
                              f"{axis0}s. Use `zero_division` parameter to control this behavior.", stacklevel=3)
    return result


def nanaverage(a: np.ndarray, weights=None) -> float:
    """Average ignoring NaN; falls back to the plain mean when weights sum to zero."""
    if a.shape[0] == 0:
        return np.nan
    mask = np.isnan(a)
    if mask.all():
        return np.nan
    if weights is None:
        return float(np.mean(a[~mask]))
    w = np.asarray(weights)[~mask]
    a = a[~mask]
    if np.sum(w) == 0:
        return float(np.mean(a))
    return float(np.average(a, weights=w))


def _check_set_wise_labels(t: Targets, average, labels, pos_label):
    if average not in AVERAGE_OPTIONS and average != "binary":
        raise InputError(f"Expected average to be one of {AVERAGE_OPTIONS} or 'binary', found {average!r}. "
                         f"Fix: pick one of those.")
    if average == "binary":
        if t.y_type == "binary":
            present = t.classes.tolist()
            if pos_label not in present and len(present) >= 2:
                raise InputError(f"Expected pos_label to be one of the labels {present}, found "
                                 f"pos_label={pos_label!r}. Fix: pass pos_label= one of {present}.")
            return [pos_label]
        options = [o for o in AVERAGE_OPTIONS if not (o == "samples" and t.y_type == "multiclass")]
        raise InputError(f"Expected binary targets for average='binary', found {t.y_type} targets. "
                         f"Fix: choose another average, one of {options}.")
    if pos_label not in (None, 1):
        warnings.warn(f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
                      f"(got {average!r}). You may use labels=[pos_label] to specify a single positive class.",
                      UserWarning, stacklevel=3)
    return labels


def precision_recall_fscore_support(y_true, y_pred, *, beta=1.0, labels=None, pos_label=1, average=None,
                                    warn_for=("precision", "recall", "f-score"), sample_weight=None,
                                    zero_division="warn"):
    """Precision, recall, F-beta and support per label or averaged.

    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1], [0, 1, 0])
    >>> p.tolist(), r.tolist(), s.tolist()
    ([0.5, 1.0], [1.0, 0.5], [1, 2])
    """
    _zero_division_value(zero_division)
    if beta < 0:
        raise InputError(f"Expected beta >= 0, found {beta}. Fix: pass a non-negative beta.")
    t = check_targets(y_true, y_pred, sample_weight)
    return _prfs_from_targets(t, beta=beta, labels=labels, pos_label=pos_label, average=average,
                              warn_for=warn_for, zero_division=zero_division)


def _prfs_from_targets(t: Targets, *, beta, labels, pos_label, average, warn_for, zero_division):
    labels = _check_set_wise_labels(t, average, labels, pos_label)
    samplewise = average == "samples"
    tp, pred_sum, true_sum, _ = _mcm_arrays(t, labels, samplewise)
    if average == "micro":
        tp, pred_sum, true_sum = (np.array([a.sum()]) for a in (tp, pred_sum, true_sum))
    precision = prf_divide(tp, pred_sum, "precision", "predicted", average, warn_for, zero_division)
    recall = prf_divide(tp, true_sum, "recall", "true", average, warn_for, zero_division)
    f_score = f_beta(tp, pred_sum, true_sum, beta, precision, recall,
                     lambda num, den: prf_divide(num, den, "f-score", "true nor predicted", average, warn_for,
                                                 zero_division))
    if average == "weighted":
        weights = true_sum
    elif average == "samples":
        weights = t.weight
    else:
        weights = None
    if average is not None:
        return (nanaverage(precision, weights), nanaverage(recall, weights), nanaverage(f_score, weights), None)
    return precision, recall, f_score, true_sum


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None,
                zero_division="warn"):
    """F-beta score: the weighted harmonic mean of precision and recall."""
    return precision_recall_fscore_support(y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label,
                                           average=average, warn_for=("f-score",), sample_weight=sample_weight,
                                           zero_division=zero_division)[2]


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
             zero_division="warn"):
    """F1 score, the harmonic mean of precision and recall.

    >>> f1_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.6666666666666666
    """
    return fbeta_score(y_true, y_pred, beta=1, labels=labels, pos_label=pos_label, average=average,
                       sample_weight=sample_weight, zero_division=zero_division)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                    zero_division="warn"):
    """Precision tp / (tp + fp)."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("precision",), sample_weight=sample_weight,
                                           zero_division=zero_division)[0]


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                 zero_division="warn"):
    """Recall tp / (tp + fn)."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                                           warn_for=("recall",), sample_weight=sample_weight,
                                           zero_division=zero_division)[1]


def jaccard_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                  zero_division="warn"):
    """Jaccard index tp / (tp + fp + fn).

    >>> jaccard_score([0, 1, 1], [1, 1, 1])
    0.6666666666666666
    """
    if not (zero_division == "warn" or (_zero_division_value(zero_division) in (0.0, 1.0))):
        raise InputError(f"Expected zero_division to be 'warn', 0 or 1 for jaccard_score, found {zero_division!r}. "
                         f"Fix: pick one of those.")
    t = check_targets(y_true, y_pred, sample_weight)
    labels = _check_set_wise_labels(t, average, labels, pos_label)
    samplewise = average == "samples"
    tp, pred_sum, true_sum, _ = _mcm_arrays(t, labels, samplewise)
    numerator = np.asarray(tp)
    denominator = tp + (pred_sum - tp) + (true_sum - tp)
    if average == "micro":
        numerator = np.array([numerator.sum()])
        denominator = np.array([denominator.sum()])
    jac = prf_divide(numerator, denominator, "jaccard", "true or predicted", average, ("jaccard",), zero_division)
    if average is None:
        return jac
    if average == "weighted":
        weights = true_sum
        if not np.any(weights):
            weights = None
    elif average == "samples" and t.weight is not None:
        weights = t.weight
    else:
        weights = None
    return float(weighted_average(jac, weights))


# ---------------------------------------------------------------- single-number scores


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or count) of exactly correct predictions.

    >>> accuracy_score(["a", "b", "b"], ["a", "a", "b"])
    0.6666666666666666
    """
    return _accuracy(check_targets(y_true, y_pred, sample_weight), normalize)


def _accuracy(t: Targets, normalize: bool) -> float:
    if t.y_type == "multilabel-indicator":
        correct = np.all((t.true != 0) == (t.pred != 0), axis=1)
    else:
        correct = t.true == t.pred
    return float(weighted_average(correct, t.weight, normalize=normalize))


def zero_one_loss(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or count) of misclassified samples; the count is weighted, summed as scikit-learn sums it.

    >>> zero_one_loss([1, 2, 3], [1, 0, 3]), zero_one_loss([1, 2, 3], [1, 0, 3], normalize=False)
    (0.33333333333333337, 1.0)
    """
    t = check_targets(y_true, y_pred, sample_weight)
    score = _accuracy(t, normalize)
    if normalize:
        return 1 - score
    return (t.n_samples if t.weight is None else np.sum(t.weight)) - score


def balanced_accuracy_from_cm(cm: np.ndarray, adjusted: bool = False) -> float:
    """Mean recall over classes present in y_true."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    if np.any(np.isnan(per_class)):
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=3)
        per_class = per_class[~np.isnan(per_class)]
    score = np.float64(np.mean(per_class))
    if adjusted:
        chance = 1 / per_class.shape[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (score - chance) / np.float64(1 - chance)  # one class only: NaN, as scikit-learn
    return float(score)


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Average of recall obtained on each class.

    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    t = check_targets(y_true, y_pred, sample_weight)
    _require_1d(t, "balanced_accuracy_score")
    return balanced_accuracy_from_cm(_targets_cm(t), adjusted)


def matthews_from_cm(cm: np.ndarray) -> float:
    """Matthews correlation coefficient from a K x K confusion matrix."""
    t_sum = cm.sum(axis=1, dtype=np.float64)
    p_sum = cm.sum(axis=0, dtype=np.float64)
    n_correct = np.trace(cm, dtype=np.float64)
    n = p_sum.sum()
    cov_ytyp = n_correct * n - np.dot(t_sum, p_sum)
    cov_ypyp = n ** 2 - np.dot(p_sum, p_sum)
    cov_ytyt = n ** 2 - np.dot(t_sum, t_sum)
    denom = cov_ypyp * cov_ytyt
    if denom == 0:
        return 0.0
    return float(cov_ytyp / np.sqrt(denom))


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient (phi coefficient for binary).

    >>> round(matthews_corrcoef([1, 1, 1, 0], [1, 0, 1, 1]), 4)
    -0.3333
    """
    t = check_targets(y_true, y_pred, sample_weight)
    _require_1d(t, "matthews_corrcoef")
    return matthews_from_cm(_targets_cm(t))


def cohen_kappa_from_cm(confusion: np.ndarray, weights=None, replace_undefined_by=np.nan) -> float:
    """Cohen's kappa from a confusion matrix."""
    confusion = confusion.astype(np.float64)
    n_classes = confusion.shape[0]
    sum0 = confusion.sum(axis=0)
    sum1 = confusion.sum(axis=1)
    total = sum0.sum()
    if total == 0:
        warn_undefined_metric("`y2` contains no labels that are present in both `y1` and `labels`.", stacklevel=3)
        return replace_undefined_by
    expected = np.outer(sum0, sum1) / total
    if weights is None:
        w_mat = np.ones((n_classes, n_classes))
        np.fill_diagonal(w_mat, 0)
    else:
        grid = np.zeros((n_classes, n_classes)) + np.arange(n_classes)
        w_mat = np.abs(grid - grid.T) if weights == "linear" else (grid - grid.T) ** 2
    denominator = np.sum(w_mat * expected)
    if denominator == 0:
        warn_undefined_metric("`y1`, `y2` and `labels` have only one label in common.", stacklevel=3)
        return replace_undefined_by
    return float(1 - np.sum(w_mat * confusion) / denominator)


def cohen_kappa_score(y1, y2, *, labels=None, weights=None, sample_weight=None, replace_undefined_by=np.nan):
    """Cohen's kappa: agreement between two annotators beyond chance.

    >>> cohen_kappa_score(["negative", "positive", "negative", "neutral", "positive"],
    ...                   ["negative", "positive", "negative", "neutral", "negative"])
    0.6875
    """
    if weights not in (None, "linear", "quadratic"):
        raise InputError(f"Expected weights to be None, 'linear' or 'quadratic', found {weights!r}. "
                         f"Fix: pick one of those.")
    try:
        cm = confusion_matrix(y1, y2, labels=labels, sample_weight=sample_weight)
    except InputError as exc:
        if "present in y_true" in str(exc):
            raise InputError("Expected at least one label in 'labels' to be present in y1, found none. "
                             "Fix: check the spelling and type of the labels.") from exc
        raise
    return cohen_kappa_from_cm(cm, weights, replace_undefined_by)


# ---------------------------------------------------------------- report


def classification_report(y_true, y_pred, *, labels=None, target_names=None, sample_weight=None, digits=2,
                          output_dict=False, zero_division="warn"):
    """Text (or dict) summary of precision, recall, F1 and support per class."""
    t = check_targets(y_true, y_pred, sample_weight)
    if labels is None:
        labels = t.classes
        labels_given = False
    else:
        labels = np.asarray(labels)
        labels_given = True
    micro_is_accuracy = t.y_type in ("multiclass", "binary") and (
        not labels_given or set(labels.tolist()) >= set(t.classes.tolist()))
    if target_names is not None and len(labels) != len(target_names):
        if labels_given:
            warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, "
                          f"{len(target_names)}", UserWarning, stacklevel=2)
        else:
            raise InputError(f"Expected {len(labels)} target_names (one per class), found {len(target_names)}. "
                             f"Fix: pass one name per class, or pass labels.")
    if target_names is None:
        target_names = ["%s" % lab for lab in labels]
    headers = ["precision", "recall", "f1-score", "support"]
    kw = dict(beta=1.0, labels=labels, pos_label=1, warn_for=("precision", "recall", "f-score"),
              zero_division=zero_division)
    p, r, f1, s = _prfs_from_targets(t, average=None, **kw)
    rows = list(zip(target_names, p, r, f1, s))
    average_options = ("micro", "macro", "weighted") + (("samples",) if t.y_type == "multilabel-indicator" else ())
    report_dict: dict = {}
    report = ""
    if output_dict:
        report_dict = {row[0]: dict(zip(headers, [float(i) for i in row[1:]])) for row in rows}
    else:
        width = max(max(len(cn) for cn in target_names), len("weighted avg"), digits)
        head_fmt = "{:>{width}s} " + " {:>9}" * len(headers)
        report = head_fmt.format("", *headers, width=width) + "\n\n"
        row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        for row in rows:
            report += row_fmt.format(*row, width=width, digits=digits)
        report += "\n"
    for average in average_options:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
        avg_p, avg_r, avg_f1, _ = _prfs_from_targets(t, average=average, **kw)
        avg = [avg_p, avg_r, avg_f1, np.sum(s)]
        if output_dict:
            report_dict[heading] = dict(zip(headers, [float(i) for i in avg]))
        elif heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            report += fmt.format(heading, "", "", *avg[2:], width=width, digits=digits)
        else:
            report += row_fmt.format(heading, *avg, width=width, digits=digits)
    if output_dict:
        if "accuracy" in report_dict:
            report_dict["accuracy"] = report_dict["accuracy"]["precision"]
        return report_dict
    return report
