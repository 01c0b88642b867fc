"""The metric registry: every spec complete and unique, every metric the report emits registered, and each spec's
compute equal to the scikit-learn function (count metrics on a whole batch of confusion matrices at once)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

from evalcore.metrics import evaluate
from evalcore.metrics._counts import CountState
from evalcore.metrics.registry import (
    COUNTS,
    KINDS,
    RANKING,
    REGRESSION,
    ROW_LOSS,
    TASKS,
    all_specs,
    id_of,
    label_of,
    spec,
    specs_for,
)

SPECS = all_specs()
IDS = [s.id for s in SPECS]

# the scikit-learn function behind each count metric, for binary (positive class 1) and macro averaging over the
# classes 0..k-1 (the report's classes: those found, or all of labels=)
def _averaged(fn):
    return lambda y, p, k: fn(y, p, average="binary" if k == 2 else "macro", labels=list(range(k)), zero_division=0)


COUNT_ORACLES = {
    "accuracy": lambda y, p, k: skm.accuracy_score(y, p),
    "precision": _averaged(skm.precision_score),
    "recall": _averaged(skm.recall_score),
    "f1": _averaged(skm.f1_score),
    "mcc": lambda y, p, k: _quiet(skm.matthews_corrcoef, y, p),
    "balanced_accuracy": lambda y, p, k: _quiet(skm.balanced_accuracy_score, y, p),
}
# the scikit-learn function behind every other metric: (y_true, scores or predictions) -> value
OTHER_ORACLES = {
    "roc_auc": lambda y, s: skm.roc_auc_score(y, s, multi_class="ovr"),
    "average_precision": lambda y, s: skm.average_precision_score(y, s),
    "log_loss": lambda y, s: skm.log_loss(y, s),
    "brier_score": lambda y, s: skm.brier_score_loss(y, s),
    "mse": skm.mean_squared_error,
    "rmse": skm.root_mean_squared_error,
    "mae": skm.mean_absolute_error,
    "r2": skm.r2_score,
}


def _quiet(fn, y, p) -> float:
    """scikit-learn's value without its warnings (one label only; classes only among the predictions, which
    balanced accuracy leaves out as the report does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(y, p)


def test_every_spec_is_complete():
    for s in SPECS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", s.id), s.id
        assert s.label and s.label.strip() == s.label, s.id
        assert s.definition and s.describe("binary", "yes") and s.describe("macro", None), s.id
        assert isinstance(s.higher_is_better, bool), s.id
        assert s.tasks and s.tasks <= TASKS, s.id
        assert s.kind in KINDS and s.interval and callable(s.compute), s.id
        assert "{" not in s.describe("binary", "x") + s.describe("macro", None), s.id


def test_ids_and_labels_are_unique_and_the_report_order_is_total():
    assert len(set(IDS)) == len(IDS)
    assert len({s.label for s in SPECS}) == len(SPECS)
    assert len({s.order for s in SPECS}) == len(SPECS)
    assert IDS.index("accuracy") < IDS.index("precision") < IDS.index("recall") < IDS.index("f1")


def test_lookups():
    assert spec("roc_auc").label == "ROC AUC" and label_of("r2") == "R²"
    assert id_of("Balanced accuracy") == "balanced_accuracy" and id_of("brier_score") == "brier_score"
    assert id_of("test_rows") is None
    with pytest.raises(KeyError, match="known: accuracy"):
        spec("no_such_metric")


def test_losses_and_errors_are_lower_is_better():
    for s in SPECS:
        assert s.higher_is_better == (s.id not in ("log_loss", "brier_score", "mse", "rmse", "mae")), s.id


def test_every_spec_has_an_oracle_here():
    """A new metric needs its scikit-learn reference in this file (and so a test of its values)."""
    assert set(IDS) == set(COUNT_ORACLES) | set(OTHER_ORACLES)
    assert {s.id for s in SPECS if s.kind == COUNTS} == set(COUNT_ORACLES)


def _cases():
    rng = np.random.default_rng(4)
    y2, s2 = rng.integers(0, 2, 400), rng.random(400)
    y2 = np.where(rng.random(400) < 0.3, 1 - y2, (s2 > 0.5).astype(int))
    y3 = rng.integers(0, 3, 300)
    p3 = rng.dirichlet(np.ones(3), 300)
    p3[np.arange(300), y3] += 0.5
    p3 /= p3.sum(1, keepdims=True)
    yr = rng.normal(size=200)
    return {"binary": (y2, s2), "multiclass": (y3, p3), "regression": (yr, yr + rng.normal(scale=0.5, size=200))}


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_the_report_emits_registered_ids_only_and_every_spec_of_its_task(task):
    y, s = _cases()[task]
    r = evaluate(y, s) if task == "regression" else evaluate(y, y_score=s)
    assert list(r.metrics) == [i for i in IDS if i in r.metrics]  # registry order
    assert set(r.metrics) == {x.id for x in specs_for(task)}
    for metric_id, est in r.metrics.items():
        assert est.definition == spec(metric_id).describe(r.average, r.pos_label)


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_every_reported_value_equals_scikit_learn(task):
    y, s = _cases()[task]
    r = evaluate(y, s) if task == "regression" else evaluate(y, y_score=s)
    pred = (s >= 0.5).astype(int) if task == "binary" else (s.argmax(1) if task == "multiclass" else None)
    for metric_id, est in r.metrics.items():
        if metric_id in COUNT_ORACLES:
            expected = COUNT_ORACLES[metric_id](y, pred, 2 if task == "binary" else 3)
        else:
            expected = OTHER_ORACLES[metric_id](y, s)
        assert est.value == pytest.approx(expected, rel=1e-9, abs=1e-12), metric_id
        assert est.low <= est.value <= est.high or not np.isfinite(est.low), metric_id


def _rows_of(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = cm.shape[0]
    cells = np.repeat(np.arange(k * k), cm.ravel())
    return cells // k, cells % k


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("metric_id", sorted(COUNT_ORACLES))
def test_count_compute_on_a_batch_equals_the_scalar_scikit_learn_function(metric_id, k):
    rng = np.random.default_rng(k)
    batch = rng.integers(0, 6, size=(40, k, k))
    batch[0] = 0
    batch[0, 0, 0] = 3            # one class only in both
    batch[1, :, 0] = 0            # a class never predicted
    batch[2, 1, :] = 0            # a class never true
    pos = 1 if k == 2 else None
    values = spec(metric_id).compute(CountState.of(batch, pos))
    assert values.shape == (40,)
    for cm, value in zip(batch, values):
        y, p = _rows_of(cm)
        assert float(value) == pytest.approx(COUNT_ORACLES[metric_id](y, p, k), rel=1e-12, abs=1e-12)
    # a batch computes each matrix as on its own
    single = np.array([spec(metric_id).compute(CountState.of(cm, pos))[0] for cm in batch])
    np.testing.assert_array_equal(values, single)


def test_kinds_split_the_catalog():
    kinds = {s.kind for s in SPECS}
    assert kinds == {COUNTS, RANKING, ROW_LOSS, REGRESSION}
