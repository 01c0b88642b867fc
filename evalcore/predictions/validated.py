"""A validated predictions file (:class:`Predictions`) and what :func:`evalcore.metrics.evaluate` takes from it
(:class:`EvaluationInput`), with the task the reader decided.

Example:
    >>> from evalcore.predictions import read_predictions
    >>> p = read_predictions(b"y_true,prob_a,prob_b,prob_c\\na,0.9,0.1,0\\nc,0.2,0.3,0.5\\n", name="p.csv")
    >>> inputs = p.evaluation_input()
    >>> inputs.task, inputs.labels, inputs.y_score.shape
    ('multiclass', ('a', 'b', 'c'), (2, 3))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalcore.metrics import prepare
from evalcore.metrics.evaluation import Prepared, RegressionInputs
from evalcore.metrics.report import EvaluationReport
from evalcore.predictions.cells import regression_values
from evalcore.predictions.columns import ColumnMap

Values = Any  # a text column (pandas' Arrow-backed strings: encoded without a Python string per row) or float64


@dataclass(frozen=True)
class EvaluationInput:
    """What :func:`evalcore.metrics.prepare` needs from a file, the task decided once by the reader.

    ``task`` is 'binary', 'multiclass' or 'regression'. ``y_true``/``y_pred`` are text labels, or float64 values
    for regression. ``y_score`` is one score per row (binary) or one probability column per class in ``labels``
    order. ``pos_label`` is the positive class of a binary task (None: the default one).
    """

    task: str
    y_true: Values
    y_pred: Values | None
    y_score: np.ndarray | None
    labels: tuple[str, ...] | None
    pos_label: str | None = None

    def prepare(self, *, confidence: float = 0.95, n_resamples: int = 1000,
                random_state: int = 0) -> Prepared | RegressionInputs:
        """:func:`evalcore.metrics.prepare` on this input (no task detection: the task is given)."""
        return prepare(self.y_true, self.y_pred, self.y_score, labels=None if self.labels is None else list(self.labels),
                       pos_label=self.pos_label, confidence=confidence, n_resamples=n_resamples,
                       random_state=random_state, task=self.task)

    def evaluate(self, *, threshold: float | None = None, confidence: float = 0.95, n_resamples: int = 1000,
                 random_state: int = 0) -> EvaluationReport:
        """:func:`evalcore.metrics.evaluate` on this input."""
        prepared = self.prepare(confidence=confidence, n_resamples=n_resamples, random_state=random_state)
        return prepared.report(threshold)


@dataclass(frozen=True)
class Predictions:
    """A validated predictions file: the roles, the values and the other columns for slicing.

    ``task`` is decided here, once; ``warnings`` are the file's (Parquet columns left out), the data's are the
    evaluation report's.
    """

    frame: pd.DataFrame
    mapping: ColumnMap
    task: str
    y_true: pd.Series
    y_pred: pd.Series | None
    score: np.ndarray | None
    classes: tuple[str, ...] | None
    warnings: tuple[str, ...]
    source: str

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @property
    def other_columns(self) -> list[str]:
        used = self.mapping.used()
        return [c for c in self.frame.columns if c not in used]

    def evaluation_input(self, pos_label: str | None = None) -> EvaluationInput:
        """The typed input of :func:`evalcore.metrics.prepare` (regression values parsed as numbers here)."""
        if self.task != "regression":
            return EvaluationInput(self.task, self.y_true, self.y_pred, self.score, self.classes, pos_label)
        comma = bool(self.frame.attrs.get("decimal_comma"))
        y_pred = None if self.y_pred is None else regression_values(self.y_pred, self.mapping.y_pred, comma)
        return EvaluationInput(self.task, regression_values(self.y_true, self.mapping.y_true, comma), y_pred,
                               None, None, pos_label)

    def prepare(self, *, pos_label: str | None = None, confidence: float = 0.95, n_resamples: int = 1000,
                random_state: int = 0) -> Prepared | RegressionInputs:
        """Validated, encoded and sorted once (the threshold-free state of the report)."""
        return self.evaluation_input(pos_label).prepare(confidence=confidence, n_resamples=n_resamples,
                                                        random_state=random_state)

    def evaluate(self, *, threshold: float | None = None, pos_label: str | None = None, confidence: float = 0.95,
                 n_resamples: int = 1000, random_state: int = 0) -> EvaluationReport:
        """The evaluation report of this file (see :func:`evalcore.metrics.evaluate`).

        >>> from evalcore.predictions import read_predictions
        >>> read_predictions(b"y_true,y_pred\\na,a\\nb,a\\n", name="p.csv").evaluate().metrics["accuracy"].value
        0.5
        """
        return self.evaluation_input(pos_label).evaluate(threshold=threshold, confidence=confidence,
                                                         n_resamples=n_resamples, random_state=random_state)
