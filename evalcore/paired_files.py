"""Two prediction files of the same rows, compared: anything Evaluate reads (labels only, a binary score, or one
probability column per class), checked to be the same rows, turned into the codes and probabilities that
:func:`evalcore.metrics.paired.compare_predictions` compares.

Example:
    >>> a = read_predictions(b"label,pred\\nx,x\\ny,x\\ny,y\\n", name="a.csv")
    >>> b = read_predictions(b"label,pred\\nx,x\\ny,y\\ny,y\\n", name="b.csv")
    >>> r = compare_files(a, b)
    >>> r.differences[0].metric, round(r.differences[0].difference, 3), r.delong is None
    ('Accuracy', 0.333, True)
"""

from __future__ import annotations

import numpy as np

from evalcore.errors import input_error, preview
from evalcore.metrics import natural_order, roc_auc_score
from evalcore.metrics.evaluation import default_positive
from evalcore.metrics.paired import PairedComparison, compare_predictions
from evalcore.predictions import Predictions, read_predictions  # noqa: F401  (read_predictions: the doctest)


def classes_of(a: Predictions, b: Predictions) -> list[str]:
    """Every class either file knows (labels, predictions, probability columns), in natural order."""
    found: set[str] = set()
    for p in (a, b):
        found |= set(p.y_true.unique())
        if p.y_pred is not None:
            found |= set(p.y_pred.unique())
        if p.classes:
            found |= set(p.classes)
    return natural_order(found)


def _check_same_rows(a: Predictions, b: Predictions) -> None:
    if a.task == "regression" or b.task == "regression":
        raise input_error("two classification files", "a regression file", "compare regressions in Evaluate")
    if a.n_rows != b.n_rows:
        raise input_error("two prediction files of the same rows", f"{a.n_rows:,} and {b.n_rows:,} rows",
                          "compare predictions of the same test set")
    differ = np.flatnonzero(a.y_true.to_numpy(dtype=str) != b.y_true.to_numpy(dtype=str))
    if differ.size:
        rows = "row" if differ.size == 1 else "rows"
        raise input_error("the same true label on every row of both files",
                          f"different labels on {rows} {preview(differ + 1)}",
                          "compare predictions of the same rows in the same order")


def _probabilities(p: Predictions, classes: list[str]) -> np.ndarray | None:
    """One probability column per class (None when the file has no probabilities)."""
    if p.score is None:
        return None
    out = np.zeros((p.n_rows, len(classes)))
    if p.score.ndim == 2:
        for j, c in enumerate(p.classes or ()):
            out[:, classes.index(c)] = p.score[:, j]
        return out
    if p.score.min() < 0 or p.score.max() > 1 or len(classes) != 2:
        return None  # a ranking score, not a probability
    pos = default_positive(classes)
    out[:, pos], out[:, 1 - pos] = p.score, 1 - p.score
    return out


def _predicted(p: Predictions, proba: np.ndarray | None, classes: list[str]) -> np.ndarray:
    if p.y_pred is not None:
        return np.array([classes.index(v) for v in p.y_pred.to_numpy(dtype=str)])
    if proba is None:
        raise input_error(f"predicted labels or probabilities in '{p.source}'", "a ranking score only",
                          "add a y_pred column, or probabilities in [0, 1]")
    return proba.argmax(axis=1)


def informative_class(y: np.ndarray, proba_a: np.ndarray, proba_b: np.ndarray, classes: list[str]) -> int | None:
    """The class for DeLong's test by default: the one whose one-vs-rest AUC differs most between the models,
    among classes with at least two rows on each side (a class both models rank perfectly says nothing)."""
    best, best_gap = None, -1.0
    for j in range(len(classes)):
        is_pos = y == j
        if not 2 <= is_pos.sum() <= len(y) - 2:
            continue
        gap = abs(roc_auc_score(is_pos, proba_b[:, j]) - roc_auc_score(is_pos, proba_a[:, j]))
        if gap > best_gap:
            best, best_gap = j, gap
    return best


def compare_files(a: Predictions, b: Predictions, positive: str | None = None, **kwargs) -> PairedComparison:
    """Model A against model B on the same rows. ``positive``: the class for DeLong's test (default: the
    positive class of a binary task, else :func:`informative_class`)."""
    _check_same_rows(a, b)
    classes = classes_of(a, b)
    code = {c: i for i, c in enumerate(classes)}
    y = np.array([code[v] for v in a.y_true.to_numpy(dtype=str)])
    proba_a, proba_b = _probabilities(a, classes), _probabilities(b, classes)
    pred_a, pred_b = _predicted(a, proba_a, classes), _predicted(b, proba_b, classes)
    if proba_a is None or proba_b is None:
        proba_a = proba_b = None
        pos = None
    elif positive is not None:
        if positive not in code:
            raise input_error(f"a class among {preview(classes)}", f"'{positive}'", "pick one of the classes")
        pos = code[positive]
    else:
        pos = default_positive(classes) if len(classes) == 2 else informative_class(y, proba_a, proba_b, classes)
    return compare_predictions(y, pred_a, pred_b, proba_a, proba_b, classes, pos, **kwargs)
