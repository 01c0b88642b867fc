"""Paired comparison statistics against scipy, scikit-learn and hand-worked values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics as skm
from scipy import stats

from evalcore.errors import InputError
from evalcore.metrics._ranking import binary_counts, delong_from_counts
from evalcore.metrics.paired import compare_predictions, delong_test, disagreement, mcnemar
from evalcore.paired_files import compare_files
from evalcore.predictions import read_predictions


def test_mcnemar_chi_square_by_hand():
    a = np.array([True] * 10 + [False] * 30 + [True] * 50)
    b = np.array([False] * 10 + [True] * 30 + [True] * 50)
    t = mcnemar(a, b)
    assert (t.a_only, t.b_only) == (10, 30)
    assert t.statistic == pytest.approx((abs(10 - 30) - 1) ** 2 / 40)  # 9.025
    assert t.p_value == pytest.approx(stats.chi2.sf(9.025, 1)) and t.p_value == pytest.approx(0.002663, abs=1e-6)


def test_mcnemar_exact_is_scipys_binomial_test():
    a = np.array([True] * 3 + [False] * 9 + [True] * 5)
    b = np.array([False] * 3 + [True] * 9 + [True] * 5)
    t = mcnemar(a, b)
    assert t.method == "exact binomial" and t.p_value == pytest.approx(stats.binomtest(3, 12, 0.5).pvalue)


def _direct_components(pos: np.ndarray, neg: np.ndarray):
    """O(m n) structural components, straight from the definition (ties count 1/2)."""
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def test_delong_test_matches_the_definition_and_sklearn():
    rng = np.random.default_rng(5)
    y = rng.random(300) < 0.4
    a = np.round(rng.normal(y * 1.0, 1.0), 1)  # rounded: many ties
    b = np.round(0.7 * a + rng.normal(y * 0.5, 0.8), 1)
    t = delong_test(y, a, b)
    assert t.auc_a == pytest.approx(skm.roc_auc_score(y, a), rel=1e-12)
    assert t.auc_b == pytest.approx(skm.roc_auc_score(y, b), rel=1e-12)
    comps = [_direct_components(s[y], s[~y]) for s in (a, b)]
    s10 = np.cov(np.vstack([c[0] for c in comps]))
    s01 = np.cov(np.vstack([c[1] for c in comps]))
    cov = s10 / y.sum() + s01 / (~y).sum()
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    assert t.std_error == pytest.approx(np.sqrt(var), rel=1e-10)
    assert t.p_value == pytest.approx(2 * stats.norm.sf(abs(t.difference) / np.sqrt(var)), rel=1e-10)
    single = delong_from_counts(binary_counts(y, a - a.min()))  # the one-model variance the report uses
    assert cov[0, 0] == pytest.approx(single.variance, rel=1e-10)


def test_the_same_scores_do_not_differ():
    y = np.array([0, 1, 0, 1, 1, 0, 1, 0], bool)
    s = np.array([0.1, 0.8, 0.3, 0.6, 0.9, 0.2, 0.4, 0.5])
    t = delong_test(y, s, s)
    assert t.difference == 0 and t.p_value == 1.0


def test_paired_accuracy_interval_is_a_row_bootstrap():
    rng = np.random.default_rng(7)
    n, k = 400, 3
    y = rng.integers(0, k, n)
    pa = np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n))
    pb = np.where(rng.random(n) < 0.8, y, rng.integers(0, k, n))
    proba = np.full((n, k), 0.2)
    proba[np.arange(n), pa] = 0.6
    proba_b = np.full((n, k), 0.2)
    proba_b[np.arange(n), pb] = 0.6
    r = compare_predictions(y, pa, pb, proba, proba_b, ["x", "y", "z"], n_resamples=4000)
    acc = r.differences[0]
    assert acc.a == pytest.approx(np.mean(pa == y)) and acc.b == pytest.approx(np.mean(pb == y))
    idx = np.random.default_rng(1).integers(0, n, (4000, n))  # the row bootstrap it replaces
    boot = np.mean(pb[idx] == y[idx], axis=1) - np.mean(pa[idx] == y[idx], axis=1)
    assert acc.low == pytest.approx(np.percentile(boot, 2.5), abs=0.012)
    assert acc.high == pytest.approx(np.percentile(boot, 97.5), abs=0.012)
    f1 = r.differences[1]
    assert f1.a == pytest.approx(skm.f1_score(y, pa, average="macro"), rel=1e-12)
    assert r.mcnemar.a_only == int(np.sum((pa == y) & (pb != y))) and r.delong is None


def _file(frame: pd.DataFrame):
    return read_predictions(frame.to_csv(index=False).encode(), name="p.csv")


def test_files_of_different_rows_are_refused():
    a = pd.DataFrame({"y_true": ["0", "1", "1"], "y_pred": ["0", "1", "0"], "prob_0": [.9, .2, .6],
                      "prob_1": [.1, .8, .4]})
    b = a.copy()
    b.loc[2, "y_true"] = "0"
    with pytest.raises(InputError, match="row 3"):
        compare_files(_file(a), _file(b))
    r = compare_files(_file(a), _file(a.assign(y_pred=["0", "1", "1"], prob_1=[.1, .8, .7], prob_0=[.9, .2, .3])))
    assert r.delong is None and r.differences[0].difference == pytest.approx(1 / 3)  # 1 negative: no DeLong
    six = pd.concat([a, a.assign(y_true=["0", "1", "0"], y_pred=["0", "1", "0"])], ignore_index=True)
    r = compare_files(_file(six), _file(six.assign(prob_1=six["prob_1"] ** 2, prob_0=1 - six["prob_1"] ** 2)))
    assert r.delong is not None and r.delong.positive == "1"


def test_any_file_evaluate_reads_can_be_compared():
    """label,pred files (no scores), a binary score column, and probability columns mixed with labels only."""
    labels = pd.DataFrame({"label": list("xyyxyx"), "pred": list("xyxxyy")})
    other = labels.assign(pred=list("xyyxyx"))
    r = compare_files(_file(labels), _file(other))
    assert [d.metric for d in r.differences] == ["Accuracy", "F1 (macro)"] and r.delong is None
    assert r.differences[0].difference == pytest.approx(2 / 6)
    score = pd.DataFrame({"y_true": [0, 1, 1, 0, 1, 0], "score": [.2, .9, .4, .3, .7, .6]})
    r = compare_files(_file(score), _file(score.assign(score=[.1, .8, .9, .2, .6, .3])))
    assert r.delong is not None and r.delong.positive == "1"
    assert r.delong.auc_a == pytest.approx(skm.roc_auc_score(score["y_true"], score["score"]))
    mixed = compare_files(_file(score), _file(pd.DataFrame({"y_true": score["y_true"], "y_pred": [0, 1, 1, 0, 0, 0]})))
    assert mixed.delong is None and len(mixed.differences) == 2


def test_the_default_delong_class_is_one_where_the_models_differ():
    """Class 'a' is ranked perfectly by both models (AUC 1.0 and 1.0); 'c' is where they differ."""
    rng = np.random.default_rng(3)
    y = np.repeat(["a", "b", "c"], 40)
    pa = np.zeros((120, 3)) + 0.1
    pa[y == "a", 0] = 0.9
    pa[:, 1] += rng.random(120) * 0.5 + (y == "b") * 0.3
    pa[:, 2] += rng.random(120) * 0.5 + (y == "c") * 0.3
    pb = pa.copy()
    pb[:, 2] = rng.random(120)  # B knows nothing about 'c'

    def frame(p):
        return pd.DataFrame({"y_true": y, **{f"prob_{c}": p[:, j] / p.sum(1) for j, c in enumerate("abc")}})

    r = compare_files(_file(frame(pa)), _file(frame(pb)))
    assert r.delong.positive == "c" and r.delong.auc_a != r.delong.auc_b


def test_disagreement_between_the_interval_and_mcnemar_is_explained():
    """5 rows only B gets right, none only A: the bootstrap interval excludes 0, the exact test gives 0.0625."""
    y = np.zeros(40, dtype=int)
    pa = np.zeros(40, dtype=int)
    pa[:5] = 1
    pb = np.zeros(40, dtype=int)
    r = compare_predictions(y, pa, pb, None, None, ["0", "1"])
    assert r.mcnemar.p_value == pytest.approx(0.0625) and r.differences[0].low > 0
    note = disagreement(r)
    assert note and "5 rows" in note and "not established" in note
    same = compare_predictions(y, pa, pa, None, None, ["0", "1"])
    assert disagreement(same) is None
