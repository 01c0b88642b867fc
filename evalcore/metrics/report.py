"""``evaluate()``: every number the dashboard shows, each with a confidence interval, in one pass.

The work splits in two so a threshold slider is instant:
:func:`prepare` does everything that does not depend on the threshold (encoding,
the one sort of the scores, curves, AUC/AP, losses, calibration), and
:meth:`Prepared.report` derives the confusion matrix and every count metric for
one threshold from the sorted counts in O(log n) plus a 1,000-draw multinomial
bootstrap over the matrix cells.

Example:
    >>> r = evaluate(["no", "yes", "yes", "no"], y_score=[0.2, 0.9, 0.4, 0.6])
    >>> r.task, r.pos_label, r.metrics["Accuracy"].value, r.metrics["ROC AUC"].value
    ('binary', 'yes', 0.5, 0.75)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from evalcore.errors import InputError, input_error, preview
from evalcore.metrics import _intervals as iv
from evalcore.metrics._classification import confusion_counts
from evalcore.metrics._ranking import (
    CurveCounts,
    average_precision_from_counts,
    binary_counts,
    delong_from_counts,
    per_class_counts,
    pr_from_counts,
    roc_from_counts,
)
from evalcore.metrics._validation import (
    as_array,
    check_scores,
    encode,
    encode_series,
    is_text_series,
    label_positions,
)

CURVE_POINTS = 1_500         # points kept per curve for display (first, last and turning points kept)
CALIBRATION_BINS = 10
HISTOGRAM_BINS = 50
NEGATIVE_WORDS = {"0", "false", "no", "n", "neg", "negative", "-1", "benign", "normal", "ham", "healthy", "f",
                  "fail", "off", "absent", "none"}
CLASSIFICATION_METRICS = ("Accuracy", "Precision", "Recall", "F1", "MCC", "Balanced accuracy")
SCORE_METRICS = ("ROC AUC", "Average precision", "Log loss", "Brier score")
REGRESSION_METRICS = ("MSE", "RMSE", "MAE", "R²")


@dataclass(frozen=True)
class Estimate:
    """A metric value with its confidence interval and how both were computed."""

    value: float
    low: float
    high: float
    method: str
    definition: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "low": self.low, "high": self.high, "method": self.method,
                "definition": self.definition}


@dataclass(frozen=True)
class ClassStats:
    label: str
    precision: Estimate
    recall: Estimate
    f1: Estimate
    support: int
    predicted: int


@dataclass(frozen=True)
class ClassCurves:
    """Display-sized ROC and PR curves of one class (one-vs-rest), plus exact AUC and AP."""

    label: str
    fpr: np.ndarray
    tpr: np.ndarray
    roc_thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    pr_thresholds: np.ndarray
    auc: float
    average_precision: float
    prevalence: float


@dataclass(frozen=True)
class Calibration:
    """Reliability diagram data: per probability bin, mean prediction, observed frequency, count."""

    label: str
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray
    count: np.ndarray


@dataclass(frozen=True)
class ScoreHistogram:
    """Histogram of one class's score, split by true class (the class vs the rest, or each class for binary)."""

    label: str
    edges: np.ndarray
    counts: dict[str, np.ndarray]


@dataclass(frozen=True)
class EvaluationReport:
    """Everything the Evaluate page shows; every metric has an interval."""

    task: str
    n_rows: int
    classes: tuple[str, ...]
    pos_label: str | None
    threshold: float | None
    prediction_rule: str
    average: str
    zero_division: float
    clipping: str
    confidence: float
    n_resamples: int
    metrics: dict[str, Estimate]
    per_class: tuple[ClassStats, ...] = ()
    confusion: np.ndarray | None = None
    curves: tuple[ClassCurves, ...] = ()
    calibration: tuple[Calibration, ...] = ()
    histograms: tuple[ScoreHistogram, ...] = ()
    best_thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def settings(self) -> dict:
        """The policies behind the numbers, as the UI shows them next to each metric."""
        return {"task": self.task, "rows": self.n_rows, "positive label": self.pos_label,
                "threshold": self.threshold, "prediction rule": self.prediction_rule, "averaging": self.average,
                "zero_division": self.zero_division, "clipping": self.clipping,
                "confidence": self.confidence, "bootstrap resamples": self.n_resamples}


# ---------------------------------------------------------------- label order


def _natural_key(label: str):
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, label.lower(), label)


def natural_order(labels) -> list[str]:
    """Numbers by value, then text alphabetically: ['2', '10', 'cat'] not ['10', '2', 'cat'].

    >>> natural_order(["10", "2", "cat", "1.5"])
    ['1.5', '2', '10', 'cat']
    """
    return sorted(labels, key=_natural_key)


def default_positive(classes: list[str]) -> int:
    """Index of the positive class of a binary task: the one that is not a 'negative' word, else the last.

    >>> default_positive(["yes", "no"]), default_positive(["0", "1"]), default_positive(["cat", "dog"])
    (0, 1, 1)
    """
    neg = [i for i, c in enumerate(classes) if c.strip().lower() in NEGATIVE_WORDS]
    if len(neg) == 1:
        return 1 - neg[0]
    return len(classes) - 1


def _as_text(values) -> list[str]:
    out = []
    for v in np.asarray(values, dtype=object).tolist():
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        out.append(str(v))
    return out


# ---------------------------------------------------------------- preparation


@dataclass(frozen=True)
class Prepared:
    """Threshold-independent state: encoded labels, sorted score counts and score-based estimates."""

    task: str
    classes: tuple[str, ...]
    pos: int | None
    codes_true: np.ndarray
    codes_pred: np.ndarray | None
    score: np.ndarray | None
    proba: np.ndarray | None
    counts: tuple[CurveCounts, ...]
    score_metrics: dict[str, Estimate]
    curves: tuple[ClassCurves, ...]
    calibration: tuple[Calibration, ...]
    histograms: tuple[ScoreHistogram, ...]
    best_thresholds: dict[str, tuple[float, float]]
    warnings: tuple[str, ...]
    confidence: float
    n_resamples: int
    random_state: int
    clipping: str
    argmax_predictions: bool = False

    @property
    def n_rows(self) -> int:
        return int(self.codes_true.shape[0])

    @property
    def has_threshold(self) -> bool:
        return self.task == "binary" and self.score is not None

    def predicted_codes(self, threshold: float | None) -> np.ndarray:
        """Predicted class codes per row for a threshold (binary with scores) or the fixed predictions."""
        if threshold is not None and self.has_threshold:
            neg = 1 - self.pos
            return np.where(self.score >= threshold, self.pos, neg).astype(np.int32)
        return self.codes_pred

    def confusion_at(self, threshold: float | None) -> np.ndarray:
        """K x K counts (rows true, columns predicted) in O(log n) for a score threshold."""
        k = len(self.classes)
        if threshold is not None and self.has_threshold:
            c = self.counts[0]
            tp, fp = c.at(threshold)
            pos, neg = self.pos, 1 - self.pos
            cm = np.zeros((2, 2), dtype=np.int64)
            cm[pos, pos], cm[neg, pos] = tp, fp
            cm[pos, neg], cm[neg, neg] = c.n_pos - tp, c.n_neg - fp
            return cm
        return confusion_counts(self.codes_true, self.codes_pred, k)

    def report(self, threshold: float | None = None) -> EvaluationReport:
        """The full report at one threshold (ignored unless the task is binary with scores)."""
        if threshold is not None and not (0 <= threshold <= 1) and self.score is not None \
                and self.score.min() >= 0 and self.score.max() <= 1:
            raise input_error("a threshold between 0 and 1", f"{threshold}", "pick a threshold in [0, 1]")
        use_threshold = threshold if self.has_threshold else None
        if self.has_threshold and use_threshold is None and self.codes_pred is None:
            use_threshold = 0.5
        cm = self.confusion_at(use_threshold)
        rng = np.random.default_rng(self.random_state)
        point = iv.count_metrics(cm[None].astype(np.float64), self.pos)
        boot = iv.count_metrics(iv.multinomial_resample(cm, self.n_resamples, rng), self.pos)
        method = f"bootstrap over confusion-matrix cells ({self.n_resamples} multinomial resamples)"
        avg = "binary" if self.task == "binary" else "macro"
        defs = _definitions(avg, self.classes[self.pos] if self.pos is not None else None)
        metrics: dict[str, Estimate] = {}
        for name, key in (("Accuracy", "accuracy"), ("Precision", "precision"), ("Recall", "recall"),
                          ("F1", "f1"), ("MCC", "mcc"), ("Balanced accuracy", "balanced_accuracy")):
            low, high = iv.percentile_interval(boot[key], self.confidence)
            metrics[name] = Estimate(float(point[key][0]), float(low), float(high), method, defs[name])
        metrics.update(self.score_metrics)
        per_class = []
        support = cm.sum(axis=1)
        predicted = cm.sum(axis=0)
        for i, label in enumerate(self.classes):
            row = {}
            for key in ("precision", "recall", "f1"):
                values = boot[f"{key}_per_class"][:, i]
                low, high = iv.percentile_interval(values, self.confidence)
                row[key] = Estimate(float(point[f"{key}_per_class"][0, i]), float(low), float(high), method)
            per_class.append(ClassStats(label, row["precision"], row["recall"], row["f1"], int(support[i]),
                                        int(predicted[i])))
        if use_threshold is not None:
            rule = f"score of '{self.classes[self.pos]}' >= {use_threshold:g}"
        elif self.argmax_predictions:
            rule = "argmax of the class probabilities"
        else:
            rule = "the predicted-label column"
        warnings = list(self.warnings)
        only_pred = [self.classes[i] for i in range(len(self.classes)) if support[i] == 0 and predicted[i] > 0]
        if only_pred:
            warnings.append(f"Class(es) {preview([repr(x) for x in only_pred])} appear only among the predictions, never in the "
                            f"true labels: their recall is undefined and shown as 0.")
        return EvaluationReport(
            task=self.task, n_rows=self.n_rows, classes=self.classes,
            pos_label=self.classes[self.pos] if self.pos is not None else None, threshold=use_threshold,
            prediction_rule=rule, average=avg, zero_division=0.0, clipping=self.clipping,
            confidence=self.confidence, n_resamples=self.n_resamples, metrics=metrics, per_class=tuple(per_class),
            confusion=cm, curves=self.curves, calibration=self.calibration, histograms=self.histograms,
            best_thresholds=self.best_thresholds, warnings=tuple(warnings))


def _definitions(avg: str, pos: str | None) -> dict[str, str]:
    which = f"for the positive class '{pos}'" if avg == "binary" else "macro average over classes"
    return {
        "Accuracy": "Share of rows whose predicted label equals the true label.",
        "Precision": f"TP / (TP + FP), {which}; 0 when nothing is predicted positive.",
        "Recall": f"TP / (TP + FN), {which}; 0 when a class has no true rows.",
        "F1": f"2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall, {which}.",
        "MCC": "Matthews correlation coefficient over the whole confusion matrix (-1 to 1, 0 = chance).",
        "Balanced accuracy": "Mean recall over the classes present in the true labels.",
        "ROC AUC": ("Area under the ROC curve (trapezoidal, ties count 1/2)"
                    + ("." if avg == "binary" else ", one-vs-rest, macro average.")),
        "Average precision": ("Step-wise area under the precision-recall curve (no interpolation)"
                              + ("." if avg == "binary" else ", one-vs-rest, macro average.")),
        "Log loss": "Mean cross-entropy -log p(true class); probabilities clipped to [eps, 1 - eps].",
        "Brier score": ("Mean squared error of the positive-class probability." if avg == "binary"
                        else "Mean over rows of the squared error summed over classes (not halved)."),
    }


def _display_indices(c: CurveCounts, points: int = CURVE_POINTS) -> np.ndarray:
    """Threshold indices to draw: evenly spaced along the ROC path and along the index, first and last kept."""
    n = c.tps.shape[0]
    if n <= points:
        return np.arange(n)
    path = c.fps / max(c.n_neg, 1) + c.tps / max(c.n_pos, 1)  # non-decreasing from ~0 to 2
    along_path = np.searchsorted(path, np.linspace(0, path[-1], points)).clip(0, n - 1)
    along_index = np.linspace(0, n - 1, points // 4).astype(np.int64)
    return np.unique(np.concatenate(([0, n - 1], along_path, along_index)))


def _curves_for(label: str, c: CurveCounts, auc: float, ap: float) -> ClassCurves:
    """Display curves from a subset of exact curve points (never interpolated values)."""
    idx = _display_indices(c)
    small = CurveCounts(c.thresholds[idx], c.tps[idx], c.fps[idx])
    fpr, tpr, rthr = roc_from_counts(small, drop_intermediate=False, warn=False)
    precision, recall, pthr = pr_from_counts(small, warn=False)
    n = c.n_pos + c.n_neg
    return ClassCurves(label, fpr, tpr, rthr, precision, recall, np.append(pthr, np.nan), auc, ap,
                       c.n_pos / n if n else np.nan)


def _calibration(label: str, is_pos: np.ndarray, p: np.ndarray) -> Calibration:
    bins = np.minimum((p * CALIBRATION_BINS).astype(np.int64), CALIBRATION_BINS - 1)
    count = np.bincount(bins, minlength=CALIBRATION_BINS).astype(np.float64)
    sum_p = np.bincount(bins, weights=p, minlength=CALIBRATION_BINS)
    sum_pos = np.bincount(bins, weights=is_pos, minlength=CALIBRATION_BINS)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Calibration(label, sum_p / count, sum_pos / count, count.astype(np.int64))


def _histogram(label: str, p: np.ndarray, groups: list[str], group_of_row: np.ndarray) -> ScoreHistogram:
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


def _best_thresholds(c: CurveCounts) -> dict[str, tuple[float, float]]:
    if c.n_pos <= 0 or c.n_neg <= 0:
        return {}
    tp, fp = c.tps, c.fps
    fn = c.n_pos - tp
    f1 = 2 * tp / (2 * tp + fp + fn)
    j = tp / c.n_pos - fp / c.n_neg
    i_f1, i_j = int(np.argmax(f1)), int(np.argmax(j))
    return {"F1": (float(c.thresholds[i_f1]), float(f1[i_f1])),
            "Youden J": (float(c.thresholds[i_j]), float(j[i_j]))}


def _is_continuous(arr: np.ndarray) -> bool:
    return arr.dtype.kind == "f" and bool(np.any(np.mod(arr[np.isfinite(arr)], 1) != 0))


def prepare(y_true, y_pred=None, y_score=None, *, labels=None, pos_label=None, confidence=0.95,
            n_resamples=1000, random_state=0, task=None) -> Prepared | RegressionInputs:
    """Validate and encode once; sort scores once; compute everything that ignores the threshold."""
    if not 0 < confidence < 1:
        raise input_error("a confidence level between 0 and 1", f"{confidence}", "use e.g. 0.95")
    if n_resamples < 10:
        raise input_error("at least 10 bootstrap resamples", f"{n_resamples}", "use e.g. 1000")
    text_input = is_text_series(y_true) and (y_pred is None or is_text_series(y_pred))
    yt = y_true if text_input else as_array(y_true, "y_true")
    if yt.ndim != 1:
        raise input_error("one true label per row", f"shape {yt.shape}", "pass a single label column")
    yp = None if y_pred is None else (y_pred if text_input else as_array(y_pred, "y_pred"))
    if yp is not None and len(yp) != len(yt):
        raise input_error("as many predictions as true labels", f"{len(yp)} predictions for {len(yt)} labels",
                          "pass one prediction per row")
    if len(yt) == 0:
        raise input_error("at least one row", "none", "pass a non-empty file")
    if task is None and text_input:
        task = "classification"
    if task is None:
        task = "regression" if y_score is None and (_is_continuous(yt) or (yp is not None and _is_continuous(yp))) \
            else "classification"
    if task == "regression":
        if yp is None:
            raise input_error("a column of predicted values for a regression task", "none",
                              "add a y_pred column")
        return RegressionInputs(yt, yp, confidence, n_resamples, random_state)
    return _prepare_classification(yt, yp, y_score, labels, pos_label, confidence, n_resamples, random_state)


def _prepare_classification(yt, yp, y_score, labels, pos_label, confidence, n_resamples, random_state) -> Prepared:
    score = check_scores(y_score, "score") if y_score is not None else None
    if score is not None and len(score) != len(yt):
        raise input_error("one score row per true label", f"{len(score)} score rows for {len(yt)} labels",
                          "pass one score per row")
    if yp is None and score is None:
        raise input_error("predicted labels or scores", "neither", "add a y_pred column or probability columns")
    arrays = (yt,) if yp is None else (yt, yp)
    if all(is_text_series(a) for a in arrays):
        enc = encode_series(*arrays)
    else:
        arrays = tuple(a.to_numpy() if hasattr(a, "to_numpy") else a for a in arrays)
        enc = encode(*arrays, names=("y_true", "y_pred")[: len(arrays)])
    found = _as_text(enc.classes)
    if labels is not None:
        classes = [str(c) for c in labels]
        if len(set(classes)) != len(classes):
            raise input_error("each class listed once", f"duplicates in {preview(classes)}", "list each class once")
        missing = sorted(set(found) - set(classes))
        if missing:
            raise input_error(f"labels among the classes {preview(classes)}", f"other labels {preview(missing)}",
                              "add a probability column for each of them, or fix the labels")
    else:
        classes = natural_order(found)
        if score is not None and score.ndim == 2 and score.shape[1] != len(classes):
            raise input_error(f"one score column per class ({len(classes)} classes: {preview(classes)})",
                              f"{score.shape[1]} score columns", "pass labels= naming the class of each column")
    remap = label_positions(np.asarray(classes, dtype=object), np.asarray(found, dtype=object))
    identity = np.array_equal(remap, np.arange(len(found)))
    codes = [c if identity else remap[c].astype(np.int32) for c in enc.codes]
    codes_true = codes[0]
    codes_pred = codes[1] if yp is not None else None
    k = len(classes)
    if k < 2:
        raise input_error("at least two classes", f"only {preview(classes)}",
                          "evaluate a file with both classes, or name all classes (prob_<class> columns)")
    task = "binary" if k == 2 else "multiclass"
    warnings: list[str] = []
    pos = None
    if task == "binary":
        if pos_label is not None:
            if str(pos_label) not in classes:
                raise input_error(f"the positive label to be one of {preview(classes)}", f"'{pos_label}'",
                                  "pick one of the classes")
            pos = classes.index(str(pos_label))
        else:
            pos = default_positive(classes)
    proba = None
    bin_score = None
    argmax = False
    if score is not None:
        if score.ndim == 2 and score.shape[1] != k:
            raise input_error(f"one score column per class ({k})", f"{score.shape[1]} columns",
                              "give one probability column per class")
        if score.ndim == 2:
            sums = score.sum(axis=1)
            off = np.flatnonzero(np.abs(sums - 1) > 1e-3)
            if off.size:
                warnings.append(f"{off.size} of {len(sums)} probability rows do not sum to 1 (first rows "
                                f"{preview(off + 1)}). Metrics use them as given; log loss and Brier assume "
                                f"probabilities.")
        if task == "binary":
            bin_score = score if score.ndim == 1 else np.ascontiguousarray(score[:, pos])
            bin_score = bin_score.astype(np.float64, copy=False)
        else:
            if score.ndim != 2:
                raise input_error(f"one probability column per class for {k} classes", "a single score column",
                                  "add prob_<class> columns for every class")
            proba = score.astype(np.float64, copy=False)
            if codes_pred is None:
                codes_pred = np.argmax(proba, axis=1).astype(np.int32)
                argmax = True
    return _score_state(task, tuple(classes), pos, codes_true, codes_pred, bin_score, proba, warnings,
                        confidence, n_resamples, random_state, argmax)


def _score_state(task, classes, pos, codes_true, codes_pred, bin_score, proba, warnings, confidence,
                 n_resamples, random_state, argmax=False) -> Prepared:
    rng = np.random.default_rng(random_state + 1)
    metrics: dict[str, Estimate] = {}
    defs = _definitions("binary" if task == "binary" else "macro", classes[pos] if pos is not None else None)
    counts: tuple[CurveCounts, ...] = ()
    curves, calibration, histograms = [], [], []
    best: dict[str, tuple[float, float]] = {}
    clipping = "no probabilities given"
    if bin_score is not None:
        is_pos = codes_true == pos
        with ThreadPoolExecutor(max_workers=1) as pool:  # the sort runs while the losses are computed
            future = pool.submit(binary_counts, is_pos, bin_score)
            probabilistic = bin_score.min() >= 0 and bin_score.max() <= 1
            if probabilistic:
                eps = np.finfo(np.float64).eps
                chosen = np.where(is_pos, bin_score, 1 - bin_score)
                losses = -np.log(np.clip(chosen, eps, 1 - eps))
                value, low, high, how = iv.mean_interval(losses, confidence, rng, n_resamples)
                metrics["Log loss"] = Estimate(value, low, high, how, defs["Log loss"])
                sq = (is_pos - bin_score) ** 2
                value, low, high, how = iv.mean_interval(sq, confidence, rng, n_resamples)
                metrics["Brier score"] = Estimate(value, low, high, how, defs["Brier score"])
                calibration.append(_calibration(classes[pos], is_pos, bin_score))
                clipping = f"probabilities clipped to [eps, 1 - eps], eps = {eps:.3g} (float64)"
            else:
                warnings.append("Scores lie outside [0, 1], so they are treated as ranking scores: log loss, "
                                "Brier score and calibration need probabilities and are not shown.")
            histograms.append(_histogram(classes[pos], bin_score, list(classes), codes_true))
            c = future.result()
        counts = (c,)
        dl = delong_from_counts(c)
        ap = average_precision_from_counts(c)
        if np.isfinite(dl.auc):
            low, high = iv.normal_interval(dl.auc, dl.variance, confidence, 0.0, 1.0)
            metrics["ROC AUC"] = Estimate(dl.auc, low, high, "DeLong", defs["ROC AUC"])
            low, high = iv.average_precision_interval(c, ap, confidence, n_resamples, rng)
            metrics["Average precision"] = Estimate(ap, low, high, "bootstrap over score bins",
                                                    defs["Average precision"])
        else:
            warnings.append("Only one class occurs in the true labels, so ROC AUC and average precision are "
                            "undefined.")
        curves.append(_curves_for(classes[pos], c, dl.auc, ap))
        best = _best_thresholds(c)
    elif proba is not None:
        k = len(classes)
        counts = tuple(per_class_counts(codes_true, proba, range(k)))
        aucs, auc_vars, aps, ap_half = [], [], [], []
        for i, c in enumerate(counts):
            dl = delong_from_counts(c)
            ap = average_precision_from_counts(c)
            curves.append(_curves_for(classes[i], c, dl.auc, ap))
            aucs.append(dl.auc)
            auc_vars.append(dl.variance)
            aps.append(ap)
            lo_ap, hi_ap = iv.average_precision_interval(c, ap, confidence, n_resamples, rng)
            ap_half.append((hi_ap - lo_ap) / 2)
        present = [i for i, c in enumerate(counts) if c.n_pos > 0 and c.n_neg > 0]
        if present:
            m_auc = float(np.mean([aucs[i] for i in present]))
            var = float(np.sum([auc_vars[i] for i in present])) / len(present) ** 2
            low, high = iv.normal_interval(m_auc, var, confidence, 0.0, 1.0)
            metrics["ROC AUC"] = Estimate(m_auc, low, high, "DeLong per class, combined as independent",
                                          defs["ROC AUC"])
            m_ap = float(np.mean([aps[i] for i in present]))
            half = float(np.sqrt(np.nansum(np.square([ap_half[i] for i in present])))) / len(present)
            metrics["Average precision"] = Estimate(m_ap, max(0.0, m_ap - half), min(1.0, m_ap + half),
                                                    "bootstrap over score bins per class, combined as independent",
                                                    defs["Average precision"])
        if len(present) < k:
            absent = [classes[i] for i in range(k) if i not in present]
            warnings.append(f"Class(es) {preview(absent)} never occur in the true labels: their ROC AUC and "
                            f"average precision are undefined and left out of the macro averages.")
        eps = np.finfo(np.float64).eps
        p_true = proba[np.arange(len(codes_true)), codes_true]
        if proba.min() >= 0 and proba.max() <= 1:
            losses = -np.log(np.clip(p_true, eps, 1 - eps))
            value, low, high, how = iv.mean_interval(losses, confidence, rng, n_resamples)
            metrics["Log loss"] = Estimate(value, low, high, how, defs["Log loss"])
            sq = np.einsum("ij,ij->i", proba, proba) - 2 * p_true + 1
            value, low, high, how = iv.mean_interval(sq, confidence, rng, n_resamples)
            metrics["Brier score"] = Estimate(value, low, high, how, defs["Brier score"])
            clipping = f"probabilities clipped to [eps, 1 - eps], eps = {eps:.3g} (float64)"
            for i in range(k):
                column = np.ascontiguousarray(proba[:, i])
                is_i = codes_true == i
                calibration.append(_calibration(classes[i], is_i, column))
                histograms.append(_histogram(classes[i], column, [classes[i], "other classes"], ~is_i))
        else:
            warnings.append("Probability columns hold values outside [0, 1]: log loss and Brier are not shown.")
    return Prepared(task, classes, pos, codes_true, codes_pred, bin_score, proba, counts, metrics,
                    tuple(curves), tuple(calibration), tuple(histograms), best, tuple(warnings), confidence,
                    n_resamples, random_state, clipping, argmax_predictions=argmax)


@dataclass(frozen=True)
class RegressionInputs:
    """Validated regression targets; ``report()`` computes MSE, RMSE, MAE and R² with intervals."""

    y_true: np.ndarray
    y_pred: np.ndarray
    confidence: float
    n_resamples: int
    random_state: int
    task: str = "regression"
    has_threshold: bool = False

    def report(self, threshold: float | None = None) -> EvaluationReport:
        yt = _numeric(self.y_true, "y_true")
        yp = _numeric(self.y_pred, "y_pred")
        rng = np.random.default_rng(self.random_state)
        err = yt - yp
        metrics = {}
        value, low, high, how = iv.mean_interval(err ** 2, self.confidence, rng, self.n_resamples)
        metrics["MSE"] = Estimate(value, low, high, how, "Mean of (y_true - y_pred)².")
        metrics["RMSE"] = Estimate(float(np.sqrt(value)), float(np.sqrt(max(low, 0))) if np.isfinite(low) else low,
                                   float(np.sqrt(high)) if np.isfinite(high) else high,
                                   how + " (square root of the MSE interval)", "Square root of the MSE.")
        value, low, high, how = iv.mean_interval(np.abs(err), self.confidence, rng, self.n_resamples)
        metrics["MAE"] = Estimate(value, low, high, how, "Mean of |y_true - y_pred|.")
        denom = float(np.sum((yt - yt.mean()) ** 2))
        r2 = float(1 - np.sum(err ** 2) / denom) if denom > 0 and len(yt) > 1 else np.nan
        low, high = iv.r2_interval(yt, yp, self.confidence)
        metrics["R²"] = Estimate(r2, low, high, "normal approximation (influence function)",
                                 "1 - sum of squared errors / total sum of squares.")
        return EvaluationReport(task="regression", n_rows=len(yt), classes=(), pos_label=None, threshold=None,
                                prediction_rule="the predicted-value column", average="none", zero_division=0.0,
                                clipping="none", confidence=self.confidence, n_resamples=self.n_resamples,
                                metrics=metrics)


def _numeric(arr: np.ndarray, name: str) -> np.ndarray:
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise input_error(f"numbers in {name} for a regression task", "text",
                              "check the column mapping: regression needs numeric values") from exc
    arr = arr.astype(np.float64, copy=False)
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise input_error(f"a finite number in every row of {name}", f"NaN or infinity in rows {preview(bad + 1)}",
                          "fill or drop those rows")
    return arr


def evaluate(y_true, y_pred=None, y_score=None, *, labels=None, pos_label=None, threshold=None, confidence=0.95,
             n_resamples=1000, random_state=0, task=None) -> EvaluationReport:
    """Evaluate predictions: every metric with a confidence interval, curves, calibration, per-class table.

    Args:
        y_true: true labels (or values for regression).
        y_pred: predicted labels; optional when scores are given.
        y_score: the positive class's score (binary, 1-D) or one probability column per class (2-D,
            columns in the order of ``labels``).
        labels: class names in score-column order; default: the classes found, numbers by value.
        pos_label: the positive class of a binary task; default: the non-'negative' label, else the last.
        threshold: predict positive when score >= threshold (binary with scores); default 0.5 unless
            y_pred is given.
        task: 'classification' or 'regression'; default: detected from the values.
    """
    prepared = prepare(y_true, y_pred, y_score, labels=labels, pos_label=pos_label, confidence=confidence,
                       n_resamples=n_resamples, random_state=random_state, task=task)
    if threshold is None and isinstance(prepared, Prepared) and prepared.has_threshold and \
            prepared.codes_pred is None:
        threshold = 0.5
    return prepared.report(threshold)

