"""Two models' predictions on the same rows: metric differences with paired intervals, McNemar's test for
accuracy, DeLong's test for ROC AUC.

Every interval is paired (both models are resampled on the same rows) without resampling rows: count metrics
use a multinomial bootstrap over the joint cells (true class, A's prediction, B's prediction), which is exactly
a row bootstrap of those metrics; the log-loss difference is a mean of per-row differences (normal interval).

Example:
    >>> y = np.array([0, 0, 1, 1, 1, 0]); a = np.array([0, 1, 1, 0, 1, 0]); b = np.array([0, 0, 1, 1, 1, 1])
    >>> t = mcnemar(y == a, y == b)
    >>> (t.a_only, t.b_only, round(t.p_value, 4), t.method)
    (1, 2, 1.0, 'exact binomial')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from evalcore.errors import input_error
from evalcore.metrics import _intervals as iv

EXACT_BELOW = 25  # discordant pairs below which McNemar uses the exact binomial test


@dataclass(frozen=True)
class PairedDifference:
    metric: str
    a: float
    b: float
    difference: float  # b - a
    low: float
    high: float
    method: str


@dataclass(frozen=True)
class McNemar:
    """Rows only A gets right (``a_only``) and only B gets right (``b_only``); the test of equal accuracy."""

    a_only: int
    b_only: int
    statistic: float
    p_value: float
    method: str


@dataclass(frozen=True)
class DeLongTest:
    """DeLong's test of equal ROC AUC for two scores of the same rows (one class against the rest)."""

    positive: str
    auc_a: float
    auc_b: float
    difference: float
    std_error: float
    z: float
    p_value: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedComparison:
    n_rows: int
    differences: tuple[PairedDifference, ...]
    mcnemar: McNemar
    delong: DeLongTest | None


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> McNemar:
    """McNemar's test: exact binomial when there are fewer than 25 discordant rows, else the chi-square test
    with continuity correction."""
    a_only = int(np.sum(correct_a & ~correct_b))
    b_only = int(np.sum(~correct_a & correct_b))
    n = a_only + b_only
    if n == 0:
        return McNemar(0, 0, 0.0, 1.0, "no discordant rows")
    if n < EXACT_BELOW:
        p = stats.binomtest(min(a_only, b_only), n, 0.5).pvalue
        return McNemar(a_only, b_only, float(min(a_only, b_only)), float(min(1.0, p)), "exact binomial")
    statistic = (abs(a_only - b_only) - 1) ** 2 / n
    return McNemar(a_only, b_only, float(statistic), float(stats.chi2.sf(statistic, 1)),
                   "chi-square with continuity correction")


def _placements(pos_scores: np.ndarray, neg_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components: for each positive, the share of negatives it outranks (ties 1/2);
    for each negative, the share of positives that outrank it. O((m + n) log n) with sorted searches."""
    neg_sorted = np.sort(neg_scores)
    pos_sorted = np.sort(pos_scores)
    below = np.searchsorted(neg_sorted, pos_scores, side="left")
    ties = np.searchsorted(neg_sorted, pos_scores, side="right") - below
    v10 = (below + 0.5 * ties) / len(neg_scores)
    above = len(pos_scores) - np.searchsorted(pos_sorted, neg_scores, side="right")
    ties_p = np.searchsorted(pos_sorted, neg_scores, side="right") - np.searchsorted(pos_sorted, neg_scores,
                                                                                       side="left")
    v01 = (above + 0.5 * ties_p) / len(pos_scores)
    return v10, v01


def delong_test(is_pos: np.ndarray, score_a: np.ndarray, score_b: np.ndarray, positive: str = "1",
                confidence: float = 0.95) -> DeLongTest:
    """DeLong, DeLong and Clarke-Pearson (1988): the covariance of two correlated AUCs from the structural
    components of each, and a z test of their difference."""
    m, n = int(is_pos.sum()), int((~is_pos).sum())
    if m < 2 or n < 2:
        raise input_error("at least two rows of each class for DeLong's test", f"{m} positive and {n} negative",
                          "compare on more rows")
    comps10, comps01 = [], []
    for s in (score_a, score_b):
        v10, v01 = _placements(s[is_pos], s[~is_pos])
        comps10.append(v10)
        comps01.append(v01)
    auc = np.array([c.mean() for c in comps10])
    s10 = np.cov(np.vstack(comps10))
    s01 = np.cov(np.vstack(comps01))
    cov = s10 / m + s01 / n
    var = float(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    diff = float(auc[1] - auc[0])
    se = float(np.sqrt(max(var, 0.0)))
    z = diff / se if se > 0 else 0.0
    p = float(2 * stats.norm.sf(abs(z))) if se > 0 else 1.0
    low, high = iv.normal_interval(diff, var, confidence, -1.0, 1.0)
    return DeLongTest(positive, float(auc[0]), float(auc[1]), diff, se, float(z), p, low, high)


def _macro_f1(cm: np.ndarray) -> np.ndarray:
    """Macro F1 of a stack of confusion matrices (..., k, k), zero_division = 0."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    denom = cm.sum(axis=-1) + cm.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)
    present = (cm.sum(axis=-1) + cm.sum(axis=-2)) > 0  # classes seen in y_true or either prediction
    return np.sum(f1 * present, axis=-1) / np.maximum(present.sum(axis=-1), 1)


def compare_predictions(y_true: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray, proba_a: np.ndarray | None,
                        proba_b: np.ndarray | None, classes: list[str], positive: int | None = None,
                        confidence: float = 0.95, n_resamples: int = 1000, random_state: int = 0
                        ) -> PairedComparison:
    """Compare model A and B on the same rows (codes 0..k-1 for labels and predictions, one probability column
    per class, or None for both when there are no probabilities: then no log loss and no DeLong).
    ``positive``: the class for DeLong's test (default: the last class of a binary task, else none).
    """
    y_true, pred_a, pred_b = (np.asarray(v, dtype=np.int64) for v in (y_true, pred_a, pred_b))
    k = len(classes)
    n = len(y_true)
    sizes = {len(pred_a), len(pred_b), n} | ({len(proba_a), len(proba_b)} if proba_a is not None and proba_b is not None
                                             else set())
    if len(sizes) != 1:
        raise input_error("both models' predictions for the same rows", "different row counts",
                          "compare predictions of the same test set")
    rng = np.random.default_rng(random_state)
    joint = np.bincount((y_true * k + pred_a) * k + pred_b, minlength=k ** 3).astype(np.float64)
    draws = rng.multinomial(n, joint / n, size=n_resamples).reshape(n_resamples, k, k, k)
    cm_a_boot, cm_b_boot = draws.sum(axis=3), draws.sum(axis=2)
    cm_a, cm_b = joint.reshape(k, k, k).sum(axis=2), joint.reshape(k, k, k).sum(axis=1)
    out = []
    acc = lambda cm: np.trace(cm, axis1=-2, axis2=-1) / n  # noqa: E731
    for name, fn in (("Accuracy", acc), ("F1 (macro)", _macro_f1)):
        a, b = float(fn(cm_a)), float(fn(cm_b))
        low, high = iv.percentile_interval(fn(cm_b_boot) - fn(cm_a_boot), confidence)
        out.append(PairedDifference(name, a, b, b - a, float(low), float(high),
                                    "paired multinomial bootstrap over (true, A, B) cells"))
    if proba_a is None or proba_b is None:
        return PairedComparison(n, tuple(out), mcnemar(y_true == pred_a, y_true == pred_b), None)
    eps = np.finfo(np.float64).eps
    rows = np.arange(n)
    loss_a = -np.log(np.clip(proba_a[rows, y_true], eps, 1 - eps))
    loss_b = -np.log(np.clip(proba_b[rows, y_true], eps, 1 - eps))
    value, loss_low, loss_high, how = iv.mean_interval(loss_b - loss_a, confidence, rng, n_resamples)
    out.append(PairedDifference("Log loss", float(loss_a.mean()), float(loss_b.mean()), value, loss_low, loss_high,
                                f"mean of per-row differences, {how}"))
    if positive is None and k == 2:
        positive = 1
    delong = None
    if positive is not None and 2 <= int(np.sum(y_true == positive)) <= n - 2:  # DeLong needs 2 of each
        is_pos = y_true == positive
        delong = delong_test(is_pos, proba_a[:, positive], proba_b[:, positive], classes[positive], confidence)
        out.append(PairedDifference(f"ROC AUC ({classes[positive]} vs rest)", delong.auc_a, delong.auc_b,
                                    delong.difference, delong.low, delong.high, "DeLong (paired)"))
    return PairedComparison(n, tuple(out), mcnemar(y_true == pred_a, y_true == pred_b), delong)


def disagreement(result: PairedComparison) -> str | None:
    """Why the accuracy interval and McNemar's test can point different ways, when they do (else None).

    The percentile bootstrap over few discordant rows is too narrow (it cannot draw more discordant rows than it
    saw), while McNemar's exact test is conservative; near the edge of significance they can disagree.
    """
    acc = result.differences[0]
    t = result.mcnemar
    excludes_zero = acc.low > 0 or acc.high < 0
    significant = t.p_value < 0.05
    if excludes_zero == significant:
        return None
    verdict = ("the interval excludes 0 while McNemar's p is above 0.05" if excludes_zero else
               "McNemar's p is below 0.05 while the interval includes 0")
    return (f"The two disagree: {verdict}. Both look only at the {t.a_only + t.b_only} rows where exactly one "
            f"model is right ({t.a_only} for A, {t.b_only} for B). With so few, the bootstrap interval is too "
            "narrow and the exact test is cautious, so the difference is not established either way; more "
            "test rows would settle it.")
