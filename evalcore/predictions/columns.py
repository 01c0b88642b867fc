"""The predictions format's columns: their roles, the names that are recognised, the ``prob_<class>`` columns.

The one place that knows a predictions file's column names. The writer (:mod:`evalcore.predictions.write`)
writes :data:`Y_TRUE`, :data:`Y_PRED`, :data:`SCORE` and :func:`probability_column` names; the reader
recognises those and the usual alternatives (:data:`TRUE_NAMES`...). Other columns are kept for slicing.

Example:
    >>> probability_column("cat"), class_of_column(probability_column("cat"))
    ('prob_cat', 'cat')
    >>> detect_columns(["id", "label", "prob_cat", "prob_dog"]).as_dict()
    {'y_true': 'label', 'y_pred': None, 'score': None, 'probabilities': {'cat': 'prob_cat', 'dog': 'prob_dog'}}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping

from evalcore.errors import input_error, preview

Y_TRUE = "y_true"  # the roles, and the names the writer gives their columns
Y_PRED = "y_pred"
SCORE = "score"
PROBABILITIES = "probabilities"
ROLES = (Y_TRUE, Y_PRED, SCORE, PROBABILITIES)
PROB = "prob_"  # the writer's prefix of a class's probability column: prob_<class>

TRUE_NAMES = (Y_TRUE, "label", "labels", "target", "actual", "truth", "true", "ground_truth", "true_label", "y")
PRED_NAMES = (Y_PRED, "pred", "prediction", "predicted", "predicted_label", "pred_label", "yhat", "y_hat")
SCORE_NAMES = (SCORE, "y_score", "prob", "proba", "probability", "y_prob", "y_proba", "p")
PROB_PREFIX = re.compile(rf"^(?:{PROB[:-1]}|proba|probability|p|score)[_:](.+)$", re.IGNORECASE)
FORMAT_HELP = (f"One row per prediction: a true-label column ({Y_TRUE}/label/target), and a predicted label "
               f"({Y_PRED}), a score, or one {PROB}<class> column per class.")


@dataclass(frozen=True)
class ColumnMap:
    """Which file column plays which role. ``probabilities`` maps class name -> column."""

    y_true: str | None = None
    y_pred: str | None = None
    score: str | None = None
    probabilities: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The roles as a plain dict (the keys of :data:`ROLES`).

        >>> ColumnMap("t", score="s").as_dict()
        {'y_true': 't', 'y_pred': None, 'score': 's', 'probabilities': {}}
        """
        return {Y_TRUE: self.y_true, Y_PRED: self.y_pred, SCORE: self.score,
                PROBABILITIES: dict(self.probabilities)}

    def key(self) -> tuple:
        """The roles as a hashable tuple (a cache key); :meth:`from_key` turns it back.

        >>> m = ColumnMap("t", probabilities={"a": "pa", "b": "pb"})
        >>> ColumnMap.from_key(m.key()) == m
        True
        """
        return self.y_true, self.y_pred, self.score, tuple(self.probabilities.items())

    @classmethod
    def from_key(cls, key: tuple) -> ColumnMap:
        y_true, y_pred, score, probabilities = key
        return cls(y_true, y_pred, score, dict(probabilities))

    def used(self) -> set[str | None]:
        """Every column given a role (the others are kept for slicing)."""
        return {self.y_true, self.y_pred, self.score, *self.probabilities.values()}


def probability_column(label: str) -> str:
    """The column the writer gives class ``label``'s probability.

    >>> probability_column("007")
    'prob_007'
    """
    return f"{PROB}{label}"


def class_of_column(column: str) -> str:
    """The class a probability column is for: the name after prob_/proba_/p_/score_ (else the whole name).

    >>> class_of_column("prob_cat"), class_of_column("Proba:dog"), class_of_column("cat")
    ('cat', 'dog', 'cat')
    """
    m = PROB_PREFIX.match(column.strip())
    return m.group(1) if m else column


def _find(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


def detect_columns(columns: list[str]) -> ColumnMap:
    """Guess the roles from column names.

    >>> detect_columns(["id", "label", "prob_cat", "prob_dog"]).as_dict()
    {'y_true': 'label', 'y_pred': None, 'score': None, 'probabilities': {'cat': 'prob_cat', 'dog': 'prob_dog'}}
    """
    y_true = _find(columns, TRUE_NAMES)
    y_pred = _find([c for c in columns if c != y_true], PRED_NAMES)
    probabilities = {}
    for c in columns:
        m = PROB_PREFIX.match(c.strip())
        if m and c not in (y_true, y_pred):
            probabilities[m.group(1)] = c
    score = None
    if len(probabilities) < 2:
        probabilities = {}
        score = _find([c for c in columns if c not in (y_true, y_pred)], SCORE_NAMES)
    return ColumnMap(y_true, y_pred, score, probabilities)


def with_overrides(detected: ColumnMap, columns: Mapping | ColumnMap | None) -> ColumnMap:
    """The detected roles with the caller's overrides: a full :class:`ColumnMap`, or a dict of some roles (the
    others keep the detected column; a score given replaces detected probabilities, and the reverse).

    >>> with_overrides(ColumnMap("t", score="s"), {"probabilities": {"a": "pa", "b": "pb"}}).as_dict()
    {'y_true': 't', 'y_pred': None, 'score': None, 'probabilities': {'a': 'pa', 'b': 'pb'}}
    """
    if isinstance(columns, ColumnMap):
        return columns
    if not columns:
        return detected
    unknown = set(columns) - set(ROLES)
    if unknown:
        raise input_error("column roles y_true, y_pred, score, probabilities", f"{preview(sorted(unknown))}",
                          "use those role names")
    mapping = replace(detected, **columns)
    if SCORE in columns and columns[SCORE] and PROBABILITIES not in columns:
        mapping = replace(mapping, probabilities={})
    if columns.get(PROBABILITIES) and SCORE not in columns:
        mapping = replace(mapping, score=None)
    return mapping
