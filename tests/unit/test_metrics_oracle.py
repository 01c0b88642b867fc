"""Every metric against scikit-learn (the oracle) on generated inputs.

Binary, multiclass and multilabel targets; int, str, bool, float and signed labels;
with and without sample weights; ties in scores; every averaging and zero_division policy.
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalcore.metrics as ecm
from tests.oracle import same_as_sklearn

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LABEL_KINDS = {
    "int": lambda k: np.arange(k),
    "signed": lambda k: np.arange(k) * 2 - 1,
    "str": lambda k: np.array(["cat", "dog", "emu", "ant", "bee", "07", "NA"][:k]),
    "float": lambda k: np.arange(k, dtype=np.float64),
    "bool": lambda k: np.array([False, True][:k]),
}


@st.composite
def label_pairs(draw, max_classes=5):
    kind = draw(st.sampled_from(sorted(LABEL_KINDS)))
    k = draw(st.integers(1, 2 if kind == "bool" else max_classes))
    classes = LABEL_KINDS[kind](k)
    n = draw(st.integers(1, 40))
    t = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    p = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    weights = draw(st.sampled_from(["none", "int", "float"]))
    if weights == "none":
        w = None
    elif weights == "int":
        w = np.asarray(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    else:
        w = np.asarray(draw(st.lists(st.floats(0.01, 5), min_size=n, max_size=n)))
    return classes[np.asarray(t)], classes[np.asarray(p)], w, classes


AVERAGES = ["binary", "micro", "macro", "weighted", None]
ZERO_DIVISION = ["warn", 0.0, 1.0, np.nan]


@SETTINGS
@given(label_pairs(), st.sampled_from(AVERAGES), st.sampled_from(ZERO_DIVISION), st.data())
def test_precision_recall_f(data, average, zero_division, more):
    yt, yp, w, classes = data
    pos_label = more.draw(st.sampled_from(list(classes) + [1]))
    kw = dict(average=average, sample_weight=w, zero_division=zero_division, pos_label=pos_label)
    same_as_sklearn(ecm.precision_score, skm.precision_score, yt, yp, **kw)
    same_as_sklearn(ecm.recall_score, skm.recall_score, yt, yp, **kw)
    same_as_sklearn(ecm.f1_score, skm.f1_score, yt, yp, **kw)
    same_as_sklearn(ecm.fbeta_score, skm.fbeta_score, yt, yp, beta=0.5, **kw)
    same_as_sklearn(ecm.jaccard_score, skm.jaccard_score, yt, yp, **kw)
    same_as_sklearn(ecm.precision_recall_fscore_support, skm.precision_recall_fscore_support, yt, yp,
                    beta=2.0, **kw)


@SETTINGS
@given(label_pairs(), st.data())
def test_labels_subsets(data, more):
    yt, yp, w, classes = data
    labels = more.draw(st.lists(st.sampled_from(list(classes)), min_size=1, max_size=len(classes), unique=True))
    for avg in ("macro", "micro", "weighted", None):
        same_as_sklearn(ecm.precision_recall_fscore_support, skm.precision_recall_fscore_support, yt, yp,
                        labels=labels, average=avg, sample_weight=w, zero_division=0.0)
    same_as_sklearn(ecm.confusion_matrix, skm.confusion_matrix, yt, yp, labels=labels, sample_weight=w)
    same_as_sklearn(ecm.multilabel_confusion_matrix, skm.multilabel_confusion_matrix, yt, yp, labels=labels,
                    sample_weight=w)
    same_as_sklearn(ecm.cohen_kappa_score, skm.cohen_kappa_score, yt, yp, labels=labels, sample_weight=w)


@SETTINGS
@given(label_pairs(), st.sampled_from([None, "true", "pred", "all"]))
def test_count_scores(data, normalize):
    yt, yp, w, _ = data
    same_as_sklearn(ecm.accuracy_score, skm.accuracy_score, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.accuracy_score, skm.accuracy_score, yt, yp, normalize=False, sample_weight=w)
    same_as_sklearn(ecm.zero_one_loss, skm.zero_one_loss, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.confusion_matrix, skm.confusion_matrix, yt, yp, sample_weight=w, normalize=normalize)
    same_as_sklearn(ecm.multilabel_confusion_matrix, skm.multilabel_confusion_matrix, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.balanced_accuracy_score, skm.balanced_accuracy_score, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.balanced_accuracy_score, skm.balanced_accuracy_score, yt, yp, adjusted=True)
    same_as_sklearn(ecm.matthews_corrcoef, skm.matthews_corrcoef, yt, yp, sample_weight=w)
    for weights in (None, "linear", "quadratic"):
        same_as_sklearn(ecm.cohen_kappa_score, skm.cohen_kappa_score, yt, yp, weights=weights, sample_weight=w)


@SETTINGS
@given(label_pairs(), st.booleans(), st.sampled_from(ZERO_DIVISION))
def test_classification_report(data, output_dict, zero_division):
    yt, yp, w, _ = data
    same_as_sklearn(ecm.classification_report, skm.classification_report, yt, yp, sample_weight=w,
                    output_dict=output_dict, zero_division=zero_division, digits=3)


@st.composite
def multilabel(draw):
    n = draw(st.integers(1, 30))
    k = draw(st.integers(2, 5))
    yt = np.asarray(draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=n, max_size=n)))
    yp = np.asarray(draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), min_size=n, max_size=n)))
    w = draw(st.one_of(st.none(), st.lists(st.floats(0.1, 3), min_size=n, max_size=n).map(np.asarray)))
    scores = np.asarray(draw(st.lists(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]), min_size=k, max_size=k),
                                      min_size=n, max_size=n)))
    return yt, yp, w, scores


@SETTINGS
@given(multilabel(), st.sampled_from(AVERAGES + ["samples"]), st.sampled_from(ZERO_DIVISION))
def test_multilabel(data, average, zero_division):
    yt, yp, w, scores = data
    kw = dict(average=average, sample_weight=w, zero_division=zero_division)
    same_as_sklearn(ecm.precision_recall_fscore_support, skm.precision_recall_fscore_support, yt, yp, **kw)
    same_as_sklearn(ecm.jaccard_score, skm.jaccard_score, yt, yp, **kw)
    same_as_sklearn(ecm.accuracy_score, skm.accuracy_score, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.multilabel_confusion_matrix, skm.multilabel_confusion_matrix, yt, yp, sample_weight=w)
    same_as_sklearn(ecm.multilabel_confusion_matrix, skm.multilabel_confusion_matrix, yt, yp, samplewise=True)
    same_as_sklearn(ecm.classification_report, skm.classification_report, yt, yp, output_dict=True,
                    zero_division=zero_division)
    if average in ("micro", "macro", "weighted", "samples", None):
        same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, yt, scores, average=average, sample_weight=w)
        same_as_sklearn(ecm.average_precision_score, skm.average_precision_score, yt, scores, average=average,
                        sample_weight=w)


@st.composite
def binary_scores(draw):
    n = draw(st.integers(1, 60))
    kind = draw(st.sampled_from(["int", "str", "signed", "bool"]))
    classes = LABEL_KINDS[kind](2)
    t = np.asarray(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    tied = draw(st.booleans())
    value = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]) if tied else st.floats(0, 1)
    scores = np.asarray(draw(st.lists(value, min_size=n, max_size=n)), dtype=np.float64)
    if draw(st.booleans()):
        scores = scores * 6 - 3  # decision-function style scores, negatives included
    w = draw(st.one_of(st.none(), st.lists(st.sampled_from([0, 0.5, 1, 2]), min_size=n, max_size=n).map(np.asarray)))
    return classes[t], scores, w, classes


@SETTINGS
@given(binary_scores(), st.booleans(), st.data())
def test_binary_ranking(data, drop, more):
    yt, s, w, classes = data
    pos_label = more.draw(st.sampled_from([None, classes[-1], classes[0]]))
    same_as_sklearn(ecm.roc_curve, skm.roc_curve, yt, s, pos_label=pos_label, sample_weight=w, drop_intermediate=drop)
    same_as_sklearn(ecm.precision_recall_curve, skm.precision_recall_curve, yt, s, pos_label=pos_label,
                    sample_weight=w, drop_intermediate=drop)
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, yt, s, sample_weight=w)
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, yt, s, max_fpr=0.5)
    ap_pos = pos_label if pos_label is not None else 1
    same_as_sklearn(ecm.average_precision_score, skm.average_precision_score, yt, s, pos_label=ap_pos,
                    sample_weight=w)
    if s.min() >= 0 and s.max() <= 1:
        same_as_sklearn(ecm.log_loss, skm.log_loss, yt, s, sample_weight=w)
        same_as_sklearn(ecm.brier_score_loss, skm.brier_score_loss, yt, s, sample_weight=w, pos_label=pos_label)
    same_as_sklearn(ecm.top_k_accuracy_score, skm.top_k_accuracy_score, yt, s, k=1, sample_weight=w)


@st.composite
def multiclass_scores(draw):
    n = draw(st.integers(1, 60))
    k = draw(st.integers(3, 5))
    kind = draw(st.sampled_from(["int", "str", "float"]))
    classes = LABEL_KINDS[kind](k)
    t = np.asarray(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    raw = np.asarray(draw(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0]), min_size=k, max_size=k),
                                   min_size=n, max_size=n))) + 0.01
    proba = raw / raw.sum(axis=1, keepdims=True)
    w = draw(st.one_of(st.none(), st.lists(st.floats(0.1, 3), min_size=n, max_size=n).map(np.asarray)))
    return classes[t], proba, w, classes


@SETTINGS
@given(multiclass_scores(), st.sampled_from(["macro", "weighted", "micro", None]), st.sampled_from(["ovr", "ovo"]))
def test_multiclass_ranking(data, average, multi_class):
    yt, p, w, classes = data
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, yt, p, average=average, multi_class=multi_class,
                    sample_weight=w)
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, yt, p, multi_class=multi_class, labels=classes)
    same_as_sklearn(ecm.average_precision_score, skm.average_precision_score, yt, p, average=average, sample_weight=w)
    same_as_sklearn(ecm.log_loss, skm.log_loss, yt, p, sample_weight=w)
    same_as_sklearn(ecm.log_loss, skm.log_loss, yt, p, labels=classes, normalize=False)
    same_as_sklearn(ecm.brier_score_loss, skm.brier_score_loss, yt, p, sample_weight=w)
    same_as_sklearn(ecm.brier_score_loss, skm.brier_score_loss, yt, p, labels=classes, scale_by_half=True)
    for k in (1, 2, 3):
        same_as_sklearn(ecm.top_k_accuracy_score, skm.top_k_accuracy_score, yt, p, k=k, sample_weight=w)
        same_as_sklearn(ecm.top_k_accuracy_score, skm.top_k_accuracy_score, yt, p, k=k, labels=classes)


@st.composite
def regression(draw):
    n = draw(st.integers(1, 40))
    outputs = draw(st.integers(1, 3))
    shape = (n,) if outputs == 1 else (n, outputs)
    vals = st.floats(-1e3, 1e3, allow_nan=False)
    yt = np.asarray(draw(st.lists(vals, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)
    yp = np.asarray(draw(st.lists(vals, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)
    w = draw(st.one_of(st.none(), st.lists(st.floats(0.1, 3), min_size=n, max_size=n).map(np.asarray)))
    return yt, yp, w


@SETTINGS
@given(regression(), st.sampled_from(["raw_values", "uniform_average", "variance_weighted"]), st.booleans())
def test_regression(data, multioutput, force_finite):
    yt, yp, w = data
    mo = multioutput if multioutput != "variance_weighted" else "uniform_average"
    same_as_sklearn(ecm.mean_squared_error, skm.mean_squared_error, yt, yp, sample_weight=w, multioutput=mo)
    same_as_sklearn(ecm.root_mean_squared_error, skm.root_mean_squared_error, yt, yp, sample_weight=w, multioutput=mo)
    same_as_sklearn(ecm.mean_absolute_error, skm.mean_absolute_error, yt, yp, sample_weight=w, multioutput=mo)
    same_as_sklearn(ecm.r2_score, skm.r2_score, yt, yp, sample_weight=w, multioutput=multioutput,
                    force_finite=force_finite)
    same_as_sklearn(ecm.r2_score, skm.r2_score, yt, yt, multioutput=multioutput)


@SETTINGS
@given(st.lists(st.floats(0, 1), min_size=1, max_size=20), st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_auc(xs, ys):
    n = min(len(xs), len(ys))
    x, y = np.sort(np.asarray(xs[:n])), np.asarray(ys[:n])
    same_as_sklearn(ecm.auc, skm.auc, x, y)
    same_as_sklearn(ecm.auc, skm.auc, x[::-1], y)
    same_as_sklearn(ecm.auc, skm.auc, np.asarray(xs[:n]), y)


@pytest.mark.parametrize("n, distinct", [(50_000, None), (50_000, 37), (300_000, 1000)])
def test_large_inputs_use_the_fast_paths(n, distinct):
    """The packed-key sort, the threaded per-class curves and the bincount encoding at scale."""
    rng = np.random.default_rng(n + (distinct or 0))
    y = rng.integers(0, 2, n)
    s = rng.random(n) if distinct is None else rng.integers(0, distinct, n) / distinct
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, y, s)
    same_as_sklearn(ecm.average_precision_score, skm.average_precision_score, y, s)
    same_as_sklearn(ecm.roc_curve, skm.roc_curve, y, s)
    same_as_sklearn(ecm.log_loss, skm.log_loss, y, s)
    ym = rng.integers(0, 6, n)
    p = rng.dirichlet(np.ones(6), n)
    same_as_sklearn(ecm.roc_auc_score, skm.roc_auc_score, ym, p, multi_class="ovr", average="weighted")
    same_as_sklearn(ecm.average_precision_score, skm.average_precision_score, ym, p)
    yp = rng.integers(0, 6, n)
    same_as_sklearn(ecm.f1_score, skm.f1_score, ym, yp, average="macro")
    same_as_sklearn(ecm.confusion_matrix, skm.confusion_matrix, ym.astype(str), yp.astype(str))
