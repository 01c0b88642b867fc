"""``evaluate()``: every number the dashboard shows, each with a confidence interval, in one pass.

The work splits in two so a threshold slider is instant:
:func:`prepare` does everything that does not depend on the threshold (encoding,
the one sort of the scores, curves, AUC/AP, losses, calibration), and
:meth:`Prepared.report` derives the confusion matrix and every count metric for
one threshold from the sorted counts in O(log n) plus a 1,000-draw multinomial
bootstrap over the matrix cells.

Example:
    >>> r = evaluate(["no", "yes", "yes", "no"], y_score=[0.2, 0.9, 0.4, 0.6])
    >>> r.task, r.pos_label, r.metrics["accuracy"].value, r.metrics["roc_auc"].value
    ('binary', 'yes', 0.5, 0.75)
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from evalcore.errors import input_error, preview, rows_text
from evalcore.metrics import _display as display
from evalcore.metrics import _intervals as iv
from evalcore.metrics._classification import confusion_counts
from evalcore.metrics._ranking import (
    CurveCounts,
    Scratch,
    average_precision_from_counts,
    binary_counts,
    delong_from_counts,
    per_column,
)
from evalcore.metrics._validation import (
    as_array,
    check_scores,
    encode,
    encode_series,
    is_text_series,
    label_positions,
)
from evalcore.metrics.report import (
    Calibration,
    ClassCurves,
    ClassStats,
    Estimate,
    EvaluationReport,
    ScoreHistogram,
)
from evalcore.metrics.registry import COUNTS, RANKING, ROW_LOSS, MetricSpec, all_specs, spec, specs_for
from evalcore.metrics.states import ClassRanking, ProbabilityState, RankingState, RegressionState

NEGATIVE_WORDS = {"0", "false", "no", "n", "neg", "negative", "-1", "benign", "normal", "ham", "healthy", "f",
                  "fail", "off", "absent", "none"}


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
        pos, score = self.pos, self.score
        if threshold is not None and self.task == "binary" and pos is not None and score is not None:
            return np.where(score >= threshold, pos, 1 - pos).astype(np.int32)
        assert self.codes_pred is not None, "no threshold: the predicted labels were given (or the argmax)"
        return self.codes_pred

    def confusion_at(self, threshold: float | None) -> np.ndarray:
        """K x K counts (rows true, columns predicted) in O(log n) for a score threshold."""
        pos = self.pos
        if threshold is not None and self.has_threshold and pos is not None:
            c = self.counts[0]
            tp, fp = c.at(threshold)
            neg = 1 - pos
            cm = np.zeros((2, 2), dtype=np.int64)
            cm[pos, pos], cm[neg, pos] = tp, fp
            cm[pos, neg], cm[neg, neg] = c.n_pos - tp, c.n_neg - fp
            return cm
        return confusion_counts(self.codes_true, self.predicted_codes(None), len(self.classes))

    @property
    def average(self) -> str:
        """How the count metrics average over classes: 'binary' (the positive class) or 'macro'."""
        return "binary" if self.task == "binary" else "macro"

    @property
    def pos_label(self) -> str | None:
        return self.classes[self.pos] if self.pos is not None else None

    def _threshold_used(self, threshold: float | None) -> float | None:
        """The threshold the report applies: None unless binary with scores (0.5 without predicted labels)."""
        if threshold is not None and not (0 <= threshold <= 1) and self.score is not None \
                and self.score.min() >= 0 and self.score.max() <= 1:
            raise input_error("a threshold between 0 and 1", f"{threshold}", "pick a threshold in [0, 1]")
        use_threshold = threshold if self.has_threshold else None
        if self.has_threshold and use_threshold is None and self.codes_pred is None:
            use_threshold = 0.5
        return use_threshold

    def _rule(self, threshold: float | None) -> str:
        if threshold is not None:
            return f"score of '{self.pos_label}' >= {threshold:g}"
        return "argmax of the class probabilities" if self.argmax_predictions else "the predicted-label column"

    def report(self, threshold: float | None = None) -> EvaluationReport:
        """The full report at one threshold (ignored unless the task is binary with scores)."""
        use_threshold = self._threshold_used(threshold)
        cm = self.confusion_at(use_threshold)
        est = iv.count_intervals(cm, self.pos, self.confidence, self.n_resamples,
                                 np.random.default_rng(self.random_state), specs_for(self.task, COUNTS))
        method = f"bootstrap over confusion-matrix cells ({self.n_resamples} multinomial resamples)"
        found = {key: Estimate(*values, method, spec(key).describe(self.average, self.pos_label))
                 for key, values in est.metrics.items()}
        found.update(self.score_metrics)
        metrics = {s.id: found[s.id] for s in all_specs() if s.id in found}  # registry order
        support = cm.sum(axis=1)
        predicted = cm.sum(axis=0)
        per_class = []
        for i, label in enumerate(self.classes):
            row = {key: Estimate(float(values[i]), float(lows[i]), float(highs[i]), method)
                   for key, (values, lows, highs) in est.per_class.items()}
            per_class.append(ClassStats(label, row["precision"], row["recall"], row["f1"], int(support[i]),
                                        int(predicted[i])))
        warnings = list(self.warnings)
        only_pred = [self.classes[i] for i in range(len(self.classes)) if support[i] == 0 and predicted[i] > 0]
        if only_pred:
            warnings.append(f"Class(es) {preview([repr(x) for x in only_pred])} appear only among the "
                            f"predictions, never in the true labels: their recall is undefined and shown as 0.")
        return EvaluationReport(
            task=self.task, n_rows=self.n_rows, classes=self.classes, pos_label=self.pos_label,
            threshold=use_threshold, prediction_rule=self._rule(use_threshold), average=self.average,
            zero_division=0.0, clipping=self.clipping, confidence=self.confidence, n_resamples=self.n_resamples,
            metrics=metrics, per_class=tuple(per_class), confusion=cm, curves=self.curves,
            calibration=self.calibration, histograms=self.histograms, best_thresholds=self.best_thresholds,
            warnings=tuple(warnings))


ARGMAX_BLOCK = 65_536  # rows per block: a block of probabilities stays in cache


def row_argmax(proba: np.ndarray) -> np.ndarray:
    """The first column holding each row's maximum (int32), in blocks of rows on two threads.

    numpy's row-wise argmax on a long, narrow array is slow in one call; blocks of 64k rows are ~1.6x faster
    and numpy frees the GIL for them.

    >>> row_argmax(np.array([[0.2, 0.8], [0.5, 0.5]])).tolist()
    [1, 0]
    """
    out = np.empty(proba.shape[0], dtype=np.intp)

    def block(start: int) -> None:
        stop = start + ARGMAX_BLOCK
        np.argmax(proba[start:stop], axis=1, out=out[start:stop])

    per_column(block, range(0, proba.shape[0], ARGMAX_BLOCK), proba.shape[0])
    return out.astype(np.int32)


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
    task = _task(task, yt, yp, y_score, text_input)
    if task == "regression":
        if yp is None:
            raise input_error("a column of predicted values for a regression task", "none",
                              "add a y_pred column")
        return RegressionInputs(yt, yp, confidence, n_resamples, random_state)
    prepared = _prepare_classification(yt, yp, y_score, labels, pos_label, confidence, n_resamples, random_state)
    if task in ("binary", "multiclass") and prepared.task != task:
        raise input_error(f"a {task} task, as given", f"{len(prepared.classes)} classes {preview(prepared.classes)}",
                          "leave task out to detect it from the labels")
    return prepared


TASKS = ("classification", "binary", "multiclass", "regression")


def _task(task, yt, yp, y_score, text_input: bool) -> str:
    """The task as given (a reader that decided it once: 'binary', 'multiclass', 'regression'), else detected
    from the values: text labels are classes, non-whole numbers without scores a regression."""
    if task is not None:
        if task not in TASKS:
            raise input_error(f"a task among {', '.join(TASKS)}", f"'{task}'", "leave task out to detect it")
        return task
    if text_input:
        return "classification"
    continuous = _is_continuous(yt) or (yp is not None and _is_continuous(yp))
    return "regression" if y_score is None and continuous else "classification"


def _prepare_classification(yt, yp, y_score, labels, pos_label, confidence, n_resamples, random_state) -> Prepared:
    """The named steps of a classification: scores checked, labels encoded, class order, positive class,
    scores for the task, then everything the scores give."""
    score = _checked_scores(y_score, yp, len(yt))
    found, codes = _encoded_labels(yt, yp)
    classes = _class_order(found, labels, score)
    remap = label_positions(np.asarray(classes, dtype=object), np.asarray(found, dtype=object))
    if not np.array_equal(remap, np.arange(len(found))):
        codes = [remap[c].astype(np.int32) for c in codes]
    codes_true = codes[0]
    codes_pred = codes[1] if yp is not None else None
    k = len(classes)
    if k < 2:
        raise input_error("at least two classes", f"only {preview(classes)}",
                          "evaluate a file with both classes, or name all classes (prob_<class> columns)")
    task = "binary" if k == 2 else "multiclass"
    pos = _positive(classes, pos_label) if task == "binary" else None
    warnings: list[str] = []
    bin_score = proba = None
    argmax = False
    if score is not None:
        bin_score, proba = _scores_for_task(score, k, pos, warnings)
        if proba is not None and codes_pred is None:
            codes_pred = row_argmax(proba)
            argmax = True
    return _score_state(task, tuple(classes), pos, codes_true, codes_pred, bin_score, proba, warnings,
                        confidence, n_resamples, random_state, argmax)


def _checked_scores(y_score, yp, n_rows: int) -> np.ndarray | None:
    score = check_scores(y_score, "score") if y_score is not None else None
    if score is not None and len(score) != n_rows:
        raise input_error("one score row per true label", f"{len(score)} score rows for {n_rows} labels",
                          "pass one score per row")
    if yp is None and score is None:
        raise input_error("predicted labels or scores", "neither", "add a y_pred column or probability columns")
    return score


def _encoded_labels(yt, yp) -> tuple[list[str], list[np.ndarray]]:
    """The labels found (as text) and each input's codes into them."""
    arrays = (yt,) if yp is None else (yt, yp)
    if all(is_text_series(a) for a in arrays):
        enc = encode_series(*arrays)
    else:
        arrays = tuple(a.to_numpy() if hasattr(a, "to_numpy") else a for a in arrays)
        enc = encode(*arrays, names=("y_true", "y_pred")[: len(arrays)])
    return _as_text(enc.classes), list(enc.codes)


def _class_order(found: list[str], labels, score: np.ndarray | None) -> list[str]:
    """The classes in score-column order: ``labels`` as given (each found label among them), else natural."""
    if labels is not None:
        classes = [str(c) for c in labels]
        if len(set(classes)) != len(classes):
            raise input_error("each class listed once", f"duplicates in {preview(classes)}", "list each class once")
        missing = sorted(set(found) - set(classes))
        if missing:
            raise input_error(f"labels among the classes {preview(classes)}", f"other labels {preview(missing)}",
                              "add a probability column for each of them, or fix the labels")
        return classes
    classes = natural_order(found)
    if score is not None and score.ndim == 2 and score.shape[1] != len(classes):
        raise input_error(f"one score column per class ({len(classes)} classes: {preview(classes)})",
                          f"{score.shape[1]} score columns", "pass labels= naming the class of each column")
    return classes


def _positive(classes: list[str], pos_label) -> int:
    if pos_label is None:
        return default_positive(classes)
    if str(pos_label) not in classes:
        raise input_error(f"the positive label to be one of {preview(classes)}", f"'{pos_label}'",
                          "pick one of the classes")
    return classes.index(str(pos_label))


def _scores_for_task(score: np.ndarray, k: int, pos: int | None, warnings: list[str]
                     ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(the positive class's score, None) for binary, (None, the probability matrix) for multiclass; warns about
    probability rows that do not sum to 1."""
    if score.ndim == 2 and score.shape[1] != k:
        raise input_error(f"one score column per class ({k})", f"{score.shape[1]} columns",
                          "give one probability column per class")
    if score.ndim == 2:
        sums = score @ np.ones(score.shape[1])  # BLAS: ~6x faster than sum(axis=1) on narrow rows
        off = np.flatnonzero(np.abs(sums - 1) > 1e-3)
        if off.size:
            warnings.append(f"{off.size} of {len(sums)} probability rows do not sum to 1 ({rows_text(off + 1)})."
                            f" Metrics use them as given; log loss and Brier assume probabilities.")
    if pos is not None:
        bin_score = score if score.ndim == 1 else np.ascontiguousarray(score[:, pos])
        return bin_score.astype(np.float64, copy=False), None
    if score.ndim != 2:
        raise input_error(f"one probability column per class for {k} classes", "a single score column",
                          "add prob_<class> columns for every class")
    return None, score.astype(np.float64, copy=False)


CLIPPING = f"probabilities clipped to [eps, 1 - eps], eps = {np.finfo(np.float64).eps:.3g} (float64)"


@dataclass
class _ScoreSummary:
    """What the scores give, before the threshold: sorted counts, estimates and chart data."""

    counts: tuple[CurveCounts, ...] = ()
    metrics: dict[str, Estimate] = field(default_factory=dict)
    curves: list = field(default_factory=list)
    calibration: list = field(default_factory=list)
    histograms: list = field(default_factory=list)
    best: dict[str, tuple[float, float]] = field(default_factory=dict)
    clipping: str = "no probabilities given"


def _estimate(s: MetricSpec, interval: iv.Interval, average: str, pos_label: str | None) -> Estimate:
    value, low, high, how = interval
    return Estimate(float(value), float(low), float(high), how, s.describe(average, pos_label))


def _row_loss_estimates(state: ProbabilityState, task: str, pos_label: str | None, confidence: float,
                        rng: np.random.Generator, n_resamples: int) -> dict[str, Estimate]:
    """The row-loss metrics (log loss, Brier score): means of per-row values with their intervals."""
    average = "binary" if task == "binary" else "macro"
    return {s.id: _estimate(s, iv.mean_interval(s.compute(state), confidence, rng, n_resamples), average, pos_label)
            for s in specs_for(task, ROW_LOSS)}


def _ranking_estimates(state: RankingState, task: str, pos_label: str | None) -> dict[str, Estimate]:
    """The ranking metrics (ROC AUC, average precision) that are defined."""
    average = "binary" if task == "binary" else "macro"
    out = {}
    for s in specs_for(task, RANKING):
        interval = s.compute(state)
        if interval is not None:
            out[s.id] = _estimate(s, interval, average, pos_label)
    return out


def _binary_scores(s: _ScoreSummary, classes, pos, codes_true, score, warnings, confidence, n_resamples,
                   rng) -> None:
    is_pos = codes_true == pos
    with ThreadPoolExecutor(max_workers=1) as pool:  # the sort runs while the losses are computed
        future = pool.submit(binary_counts, is_pos, score)
        probabilistic = bool(score.min() >= 0 and score.max() <= 1)
        if probabilistic:
            s.metrics.update(_row_loss_estimates(ProbabilityState(True, is_pos=is_pos, score=score), "binary",
                                                 classes[pos], confidence, rng, n_resamples))
            s.clipping = CLIPPING
        else:
            lo, hi = float(score.min()), float(score.max())
            scale = " If they are percentages, divide them by 100." if lo >= 0 and hi <= 100 else ""
            warnings.append(f"Scores lie outside [0, 1] (from {lo:g} to {hi:g}), so they are treated as ranking "
                            f"scores: log loss, Brier score and calibration need probabilities and are not "
                            f"shown.{scale}")
        c = future.result()
    s.counts = (c,)
    bins = display.score_bins(c, probabilistic)
    s.histograms.append(display.score_histogram(classes[pos], bins, list(classes), classes[pos]))
    if probabilistic:
        s.calibration.append(display.calibration(classes[pos], c))
    dl = delong_from_counts(c)
    ap = average_precision_from_counts(c)
    low = high = float("nan")
    if np.isfinite(dl.auc):
        low, high = iv.average_precision_interval(c, ap, confidence)
    else:
        warnings.append("Only one class occurs in the true labels, so ROC AUC and average precision are "
                        "undefined.")
    ranking = ClassRanking(c.n_pos, c.n_neg, dl.auc, dl.variance, ap, low, high)
    s.metrics.update(_ranking_estimates(RankingState(True, (ranking,), confidence), "binary", classes[pos]))
    s.curves.append(display.class_curves(classes[pos], c, dl.auc, ap))
    s.best = display.best_thresholds(c)


@dataclass(frozen=True)
class _ClassResult:
    """One class's one-vs-rest share of a multiclass evaluation."""

    ranking: ClassRanking
    curves: ClassCurves
    calibration: Calibration | None
    histogram: ScoreHistogram | None


def _one_class(i: int, classes, codes_true, proba, probabilistic: bool, confidence: float,
               scratch: Scratch) -> _ClassResult:
    """Everything about class i against the rest: one sort, DeLong, AP with interval, chart data.

    Works in ``scratch`` and keeps only small results (the full counts would be 5 x 8 bytes per row per class).
    """
    column = proba[:, i]
    is_class = np.equal(codes_true, i, out=scratch.array("is_class", bool))
    c = binary_counts(is_class, column, parallel=False, scratch=scratch)
    dl = delong_from_counts(c)
    ap = average_precision_from_counts(c)
    lo_ap, hi_ap = iv.average_precision_interval(c, ap, confidence)
    calibration = histogram = None
    if probabilistic:
        bins = display.score_bins(c, True)
        histogram = display.score_histogram(classes[i], bins, [classes[i], "other classes"], classes[i])
        calibration = display.calibration(classes[i], c)
    return _ClassResult(ClassRanking(c.n_pos, c.n_neg, dl.auc, dl.variance, ap, lo_ap, hi_ap),
                        display.class_curves(classes[i], c, dl.auc, ap), calibration, histogram)


def _multiclass_scores(s: _ScoreSummary, classes, codes_true, proba, warnings, confidence, n_resamples,
                       rng) -> None:
    k = len(classes)
    probabilistic = bool(proba.min() >= 0 and proba.max() <= 1)
    local = threading.local()

    def one_class(i: int) -> _ClassResult:
        if not hasattr(local, "scratch"):
            local.scratch = Scratch(proba.shape[0])
        return _one_class(i, classes, codes_true, proba, probabilistic, confidence, local.scratch)

    results = per_column(one_class, range(k), proba.shape[0])
    s.curves = [r.curves for r in results]
    ranking = RankingState(False, tuple(r.ranking for r in results), confidence)
    s.metrics.update(_ranking_estimates(ranking, "multiclass", None))
    absent = [classes[i] for i, r in enumerate(results) if not r.ranking.defined]
    if absent:
        warnings.append(f"Class(es) {preview(absent)} never occur in the true labels: their ROC AUC and "
                        f"average precision are undefined and left out of the macro averages.")
    if not probabilistic:
        warnings.append("Probability columns hold values outside [0, 1]: log loss and Brier are not shown.")
        return
    state = ProbabilityState(False, codes_true=codes_true, proba=proba)
    s.metrics.update(_row_loss_estimates(state, "multiclass", None, confidence, rng, n_resamples))
    s.clipping = CLIPPING
    s.calibration = [r.calibration for r in results]
    s.histograms = [r.histogram for r in results]


def _score_state(task, classes, pos, codes_true, codes_pred, bin_score, proba, warnings, confidence,
                 n_resamples, random_state, argmax=False) -> Prepared:
    rng = np.random.default_rng(random_state + 1)
    s = _ScoreSummary()
    if bin_score is not None:
        _binary_scores(s, classes, pos, codes_true, bin_score, warnings, confidence, n_resamples, rng)
    elif proba is not None:
        _multiclass_scores(s, classes, codes_true, proba, warnings, confidence, n_resamples, rng)
    return Prepared(task, classes, pos, codes_true, codes_pred, bin_score, proba, s.counts, s.metrics,
                    tuple(s.curves), tuple(s.calibration), tuple(s.histograms), s.best, tuple(warnings), confidence,
                    n_resamples, random_state, s.clipping, argmax_predictions=argmax)


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
        state = RegressionState(yt, yp, self.confidence, np.random.default_rng(self.random_state), self.n_resamples)
        metrics = {s.id: _estimate(s, s.compute(state), "none", None) for s in specs_for("regression")}
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
        raise input_error(f"a finite number in every row of {name}", f"NaN or infinity in {rows_text(bad + 1)}",
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
        task: 'classification', 'binary', 'multiclass' or 'regression'; default: detected from the values.
            A task given is not detected again (a predictions file's reader decides it once).
    """
    prepared = prepare(y_true, y_pred, y_score, labels=labels, pos_label=pos_label, confidence=confidence,
                       n_resamples=n_resamples, random_state=random_state, task=task)
    return prepared.report(threshold)
