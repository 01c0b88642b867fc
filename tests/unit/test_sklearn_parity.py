"""Differences found by running scikit-learn's own metric tests on evalcore (tests/sklearn_suite), one test each.

scikit-learn is the oracle: same values, dtypes, exception types and warnings (evalcore keeps its own messages).
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import sklearn.exceptions
import sklearn.metrics as skm
from scipy import sparse

import evalcore.metrics as ecm
from evalcore import errors
from evalcore.errors import InputError

Y_TRUE = np.array([0, 1, 1, 0, 1, 2])
Y_PRED = np.array([0, 1, 0, 0, 2, 2])
ML_TRUE = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0], [1, 1, 1], [0, 1, 0]])
ML_PRED = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 1, 1], [0, 0, 0]])


def warnings_of(fn, *args, **kwargs) -> list[tuple[type, str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fn(*args, **kwargs)
    return [(w.category, str(w.message)) for w in record]


def assert_identical(got, expected):
    """Same value, same dtype (or same Python type for scalars)."""
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, (got, expected)
        np.testing.assert_array_equal(got, expected)
    else:
        assert type(got) is type(expected) and got == expected, (got, expected)


# ---------------------------------------------------------------- the warning class


def test_undefined_metric_warning_is_scikit_learns():
    assert issubclass(errors.UndefinedMetricWarning, sklearn.exceptions.UndefinedMetricWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error", sklearn.exceptions.UndefinedMetricWarning)
        with pytest.raises(sklearn.exceptions.UndefinedMetricWarning):
            ecm.precision_score([0, 0], [0, 0])
        with pytest.raises(sklearn.exceptions.UndefinedMetricWarning):
            ecm.roc_auc_score([1, 1], [0.2, 0.4])


def test_importing_evalcore_does_not_import_scikit_learn():
    code = ("import sys, evalcore.errors, evalcore.metrics; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- integer sample weights


INT_WEIGHTS = {
    "beyond 2**53": np.array([2**53 + 1, 1, 2**53 + 1, 3, 1, 2**53 + 7], dtype=np.int64),
    "int64 overflow": np.full(6, np.iinfo(np.int64).max, dtype=np.int64),
    "uint64 wraps": np.full(6, 2**63 + 5, dtype=np.uint64),
    "int32": np.array([3, 1, 2, 1, 1, 4], dtype=np.int32),
    "bool": np.array([1, 0, 1, 1, 1, 1], dtype=bool),
}


@pytest.mark.parametrize("weights", INT_WEIGHTS.values(), ids=INT_WEIGHTS.keys())
@pytest.mark.parametrize("labels", [None, [2, 0, 1], [1, 0]])
def test_integer_weights_give_scikit_learns_exact_confusion_matrix(weights, labels):
    expected = skm.confusion_matrix(Y_TRUE, Y_PRED, sample_weight=weights, labels=labels)
    assert_identical(ecm.confusion_matrix(Y_TRUE, Y_PRED, sample_weight=weights, labels=labels), expected)


@pytest.mark.parametrize("weights", INT_WEIGHTS.values(), ids=INT_WEIGHTS.keys())
@pytest.mark.parametrize("name", ["cohen_kappa_score", "matthews_corrcoef", "balanced_accuracy_score"])
def test_metrics_of_the_confusion_matrix_follow_it(weights, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = getattr(skm, name)(Y_TRUE, Y_PRED, sample_weight=weights)
        got = getattr(ecm, name)(Y_TRUE, Y_PRED, sample_weight=weights)
    np.testing.assert_equal(got, expected)


@pytest.mark.parametrize("weights", INT_WEIGHTS.values(), ids=INT_WEIGHTS.keys())
def test_integer_weights_give_scikit_learns_exact_samplewise_matrices(weights):
    kw = dict(sample_weight=weights, samplewise=True)
    assert_identical(ecm.multilabel_confusion_matrix(ML_TRUE, ML_PRED, **kw),
                     skm.multilabel_confusion_matrix(ML_TRUE, ML_PRED, **kw))


def test_the_unweighted_confusion_matrix_is_unchanged():
    assert_identical(ecm.confusion_matrix(Y_TRUE, Y_PRED), skm.confusion_matrix(Y_TRUE, Y_PRED))


# ---------------------------------------------------------------- zero_one_loss counts


@pytest.mark.parametrize("container", [np.asarray, sparse.csr_matrix, sparse.coo_matrix, sparse.coo_array])
@pytest.mark.parametrize("weights", [None, np.array([1, 2, 3, 1, 1, 2]), INT_WEIGHTS["beyond 2**53"]])
def test_zero_one_loss_counts_on_any_container(container, weights):
    args = (container(ML_TRUE), container(ML_PRED))
    expected = skm.zero_one_loss(*args, normalize=False, sample_weight=weights)
    assert_identical(ecm.zero_one_loss(*args, normalize=False, sample_weight=weights), expected)


# ---------------------------------------------------------------- refused inputs: the same exception types


SAMPLE_WEIGHT_CALLS = {
    "accuracy_score": lambda m, w: m.accuracy_score(Y_TRUE, Y_PRED, sample_weight=w),
    "confusion_matrix": lambda m, w: m.confusion_matrix(Y_TRUE, Y_PRED, sample_weight=w),
    "f1_score": lambda m, w: m.f1_score(Y_TRUE, Y_PRED, average="macro", sample_weight=w),
    "multilabel_confusion_matrix": lambda m, w: m.multilabel_confusion_matrix(ML_TRUE, ML_PRED, sample_weight=w),
    "roc_auc_score": lambda m, w: m.roc_auc_score(Y_TRUE > 0, Y_PRED / 2, sample_weight=w),
    "log_loss": lambda m, w: m.log_loss(Y_TRUE > 0, Y_PRED / 2, sample_weight=w),
    "mean_squared_error": lambda m, w: m.mean_squared_error(Y_TRUE, Y_PRED, sample_weight=w),
    "r2_score": lambda m, w: m.r2_score(Y_TRUE, Y_PRED, sample_weight=w),
}


@pytest.mark.parametrize("call", SAMPLE_WEIGHT_CALLS.values(), ids=SAMPLE_WEIGHT_CALLS.keys())
def test_complex_sample_weights_are_refused(call):
    weights = np.ones(len(Y_TRUE)) * (1 + 1j)
    with pytest.raises(ValueError):
        call(skm, weights)
    with pytest.raises(InputError, match="Expected real sample weights, found complex numbers"):
        call(ecm, weights)


def test_one_vs_one_roc_auc_per_class_is_not_implemented():
    y, proba = [0, 1, 2, 2], np.array([[.8, .1, .1], [.2, .7, .1], [.1, .2, .7], [.3, .3, .4]])
    with pytest.raises(NotImplementedError):
        skm.roc_auc_score(y, proba, multi_class="ovo", average=None)
    with pytest.raises(NotImplementedError) as raised:
        ecm.roc_auc_score(y, proba, multi_class="ovo", average=None)
    assert isinstance(raised.value, InputError) and str(raised.value).startswith("Expected ")


BYTES_CALLS = {
    "roc_curve": lambda m: m.roc_curve([b"a", b"b"], [0.0, 1.0]),
    "precision_recall_curve": lambda m: m.precision_recall_curve(np.array([b"a", b"b"]), [0.0, 1.0]),
    "accuracy_score": lambda m: m.accuracy_score([b"a", b"b"], [b"a", b"a"]),
    "roc_auc_score": lambda m: m.roc_auc_score(np.array([b"a", b"b"], dtype=object), [0.0, 1.0]),
}


@pytest.mark.parametrize("call", BYTES_CALLS.values(), ids=BYTES_CALLS.keys())
def test_bytes_labels_are_a_type_error(call):
    with pytest.raises(TypeError):
        call(skm)
    with pytest.raises(TypeError) as raised:
        call(ecm)
    assert isinstance(raised.value, InputError) and "bytes" in str(raised.value)


# ---------------------------------------------------------------- warnings scikit-learn gives


@pytest.mark.parametrize("y_true, y_pred, labels", [([0, 0, 0], [0, 0, 0], None), (["a", "b"], ["a", "b"], ["b"]),
                                                    ([1, 2], [2, 2], None)])
def test_confusion_matrix_warns_as_scikit_learn_about_a_single_label(y_true, y_pred, labels):
    expected = warnings_of(skm.confusion_matrix, y_true, y_pred, labels=labels)
    assert warnings_of(ecm.confusion_matrix, y_true, y_pred, labels=labels) == expected


AP_CASES = {
    "binary, no positive": ([0, 0, 0], [0.1, 0.5, 0.3], {}),
    "binary, all positive": ([1, 1, 1], [0.1, 0.5, 0.3], {}),
    "multilabel, a column without positives": (ML_TRUE * [1, 1, 0], ML_PRED / 2 + 0.1, {}),
    "multilabel, micro": (ML_TRUE * 0, ML_PRED / 2 + 0.1, {"average": "micro"}),
    "multiclass": ([0, 1, 2, 1], np.array([[.5, .3, .2], [.2, .6, .2], [.4, .4, .2], [.1, .8, .1]]),
                   {"average": None}),
}


@pytest.mark.parametrize("y_true, y_score, kw", AP_CASES.values(), ids=AP_CASES.keys())
def test_average_precision_warns_as_scikit_learn_without_positives(y_true, y_score, kw):
    expected = warnings_of(skm.average_precision_score, y_true, y_score, **kw)
    assert warnings_of(ecm.average_precision_score, y_true, y_score, **kw) == expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(ecm.average_precision_score(y_true, y_score, **kw),
                                   skm.average_precision_score(y_true, y_score, **kw))
