"""evaluate(): point values equal scikit-learn's, intervals behave, large inputs take the parallel paths."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm

from evalcore.metrics import evaluate
from evalcore.metrics._ranking import PARALLEL_SORT_MIN


def _binary(n: int, seed: int, distinct: int | None = None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    if distinct:
        s = np.round(s * distinct) / distinct
    return y, s


@pytest.mark.parametrize("n, distinct", [(2_000, None), (2_000, 20), (PARALLEL_SORT_MIN + 200_001, None),
                                         (PARALLEL_SORT_MIN + 200_001, 1000)])
def test_binary_values_equal_sklearn(n, distinct):
    y, s = _binary(n, n % 97, distinct)
    r = evaluate(y, y_score=s, threshold=0.4)
    pred = (s >= 0.4).astype(int)
    expected = {
        "accuracy": skm.accuracy_score(y, pred), "precision": skm.precision_score(y, pred),
        "recall": skm.recall_score(y, pred), "f1": skm.f1_score(y, pred), "mcc": skm.matthews_corrcoef(y, pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred), "log_loss": skm.log_loss(y, s),
        "brier_score": skm.brier_score_loss(y, s), "roc_auc": skm.roc_auc_score(y, s),
        "average_precision": skm.average_precision_score(y, s),
    }
    for name, value in expected.items():
        est = r.metrics[name]
        assert est.value == pytest.approx(value, rel=1e-9), name
        assert est.low <= est.value <= est.high, name
    np.testing.assert_array_equal(r.confusion, skm.confusion_matrix(y, pred))


def test_multiclass_values_equal_sklearn():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 5, 3000)
    logits = rng.normal(size=(3000, 5)) + 1.5 * np.eye(5)[y]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    r = evaluate(y, y_score=p)
    pred = p.argmax(axis=1)
    assert r.metrics["f1"].value == pytest.approx(skm.f1_score(y, pred, average="macro"), rel=1e-9)
    assert r.metrics["roc_auc"].value == pytest.approx(skm.roc_auc_score(y, p, multi_class="ovr"), rel=1e-9)
    assert r.metrics["average_precision"].value == pytest.approx(skm.average_precision_score(y, p), rel=1e-9)
    assert r.metrics["log_loss"].value == pytest.approx(skm.log_loss(y, p), rel=1e-9)
    assert r.metrics["brier_score"].value == pytest.approx(skm.brier_score_loss(y, p), rel=1e-9)
    assert r.prediction_rule == "argmax of the class probabilities"


def test_accuracy_interval_covers_the_truth_about_95_percent():
    """200 samples from a known 80%-accurate model: the 95% interval should cover 0.8 in ~95% of them."""
    rng = np.random.default_rng(0)
    covered = 0
    for i in range(200):
        y = rng.integers(0, 2, 400)
        pred = np.where(rng.random(400) < 0.8, y, 1 - y)
        est = evaluate(y, pred, n_resamples=400, random_state=i).metrics["accuracy"]
        covered += est.low <= 0.8 <= est.high
    assert 0.88 <= covered / 200 <= 0.99


def test_best_thresholds_and_calibration_are_consistent():
    y, s = _binary(5000, 1)
    r = evaluate(y, y_score=s)
    t_f1, f1 = r.best_thresholds["F1"]
    assert f1 == pytest.approx(skm.f1_score(y, s >= t_f1), rel=1e-9)
    cal = r.calibration[0]
    assert cal.count.sum() == len(y)
    ok = cal.count > 0
    assert np.all((cal.mean_predicted[ok] >= 0) & (cal.mean_predicted[ok] <= 1))


@pytest.mark.parametrize("distinct", [None, 50])  # 50: scores on the bin edges, where conventions differ
def test_calibration_and_histograms_equal_sklearn_binning(distinct):
    from sklearn.calibration import calibration_curve
    y, s = _binary(20_000, 3, distinct)
    r = evaluate(y, y_score=s)
    cal = r.calibration[0]
    ok = cal.count > 0
    frac, mean = calibration_curve(y, s, n_bins=10)
    np.testing.assert_allclose(cal.fraction_positive[ok], frac, rtol=1e-12)
    np.testing.assert_allclose(cal.mean_predicted[ok], mean, rtol=1e-12)
    hist = r.histograms[0]
    edges = np.linspace(0, 1, 51)
    for label, values in (("0", s[y == 0]), ("1", s[y == 1])):  # scikit-learn's rule: edges[b] < s <= edges[b+1]
        expected = np.bincount(np.searchsorted(edges[1:-1], values), minlength=50)
        np.testing.assert_array_equal(hist.counts[label], expected)


def test_multiclass_calibration_equals_sklearn_per_class():
    from sklearn.calibration import calibration_curve
    rng = np.random.default_rng(4)
    y = rng.integers(0, 3, 5000)
    p = rng.dirichlet(np.ones(3), 5000)
    p = np.round(p * 40) / 40
    p /= p.sum(axis=1, keepdims=True)
    r = evaluate(y, y_score=p)
    for k in range(3):
        cal = r.calibration[k]
        frac, mean = calibration_curve(y == k, p[:, k], n_bins=10)
        np.testing.assert_allclose(cal.fraction_positive[cal.count > 0], frac, rtol=1e-12)
        np.testing.assert_allclose(cal.mean_predicted[cal.count > 0], mean, rtol=1e-12)
        assert r.histograms[k].counts[str(k)].sum() == (y == k).sum()
