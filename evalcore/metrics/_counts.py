"""The count kernel: every confusion-matrix metric from one stack of matrices, shape (B, K, K).

One matrix is a batch of one (the report's value, the scalar scikit-learn-style functions); the multinomial
bootstrap is a batch of ``n_resamples``. The per-class arithmetic (tp, predicted and true sums -> precision,
recall, F-beta) lives here once: :mod:`evalcore.metrics._classification` uses :func:`f_beta` with its own
warning division, and the registry's count metrics use :class:`CountState`.

Example:
    >>> s = CountState.of(np.array([[[40, 10], [5, 45]]]), pos=1)
    >>> s.tp.tolist(), s.precision_per_class().round(3).tolist()
    ([[40.0, 45.0]], [[0.889, 0.818]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Divide = Callable[[np.ndarray, np.ndarray], np.ndarray]


def divide(numerator, denominator, fill: float = 0.0) -> np.ndarray:
    """numerator / denominator elementwise, ``fill`` where the denominator is 0 (no warning).

    >>> divide(np.array([1.0, 0.0]), np.array([2.0, 0.0]), fill=-1).tolist()
    [0.5, -1.0]
    """
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    zero = den == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(zero, 1.0, den)
    return np.where(zero, fill, out)


def f_beta(tp, pred_sum, true_sum, beta: float, precision: np.ndarray, recall: np.ndarray,
           div: Divide) -> np.ndarray:
    """F-beta from counts: (1 + β²)·tp / (β²·true + predicted); β = ∞ is recall, β = 0 precision.

    ``div`` decides 0/0 (a warning policy for the scikit-learn API, a fill value for the bootstrap).

    >>> p, r = np.array([0.5]), np.array([1.0])
    >>> f_beta(np.array([1.0]), np.array([2.0]), np.array([1.0]), 1.0, p, r, divide).round(4).tolist()
    [0.6667]
    """
    if np.isposinf(beta):
        return recall
    if beta == 0:
        return precision
    beta2 = beta ** 2
    denominator = beta2 * np.asarray(true_sum, dtype=np.float64) + np.asarray(pred_sum, dtype=np.float64)
    return div((1 + beta2) * np.asarray(tp, dtype=np.float64), denominator)


@dataclass(frozen=True)
class CountState:
    """The sums of a stack of confusion matrices (rows true, columns predicted), as every count metric needs.

    ``tp``, ``predicted``, ``true``: shape (B, K); ``n``: shape (B,). ``pos`` is the positive class index of a
    binary task (None: average over classes). ``zero_division`` fills 0/0 in precision, recall and F.
    """

    tp: np.ndarray
    predicted: np.ndarray
    true: np.ndarray
    n: np.ndarray
    pos: int | None
    zero_division: float = 0.0

    @classmethod
    def of(cls, matrices: np.ndarray, pos: int | None, zero_division: float = 0.0) -> CountState:
        """The state of a stack (B, K, K), or of one matrix (K, K) as a batch of one."""
        cms = np.asarray(matrices, dtype=np.float64)
        if cms.ndim == 2:
            cms = cms[None]
        true = cms.sum(axis=-1)
        return cls(np.diagonal(cms, axis1=-2, axis2=-1).copy(), cms.sum(axis=-2), true, true.sum(axis=-1), pos,
                   zero_division)

    def _divide(self, num, den) -> np.ndarray:
        return divide(num, den, self.zero_division)

    def precision_per_class(self) -> np.ndarray:
        return self._divide(self.tp, self.predicted)

    def recall_per_class(self) -> np.ndarray:
        return self._divide(self.tp, self.true)

    def f_per_class(self, beta: float = 1.0) -> np.ndarray:
        return f_beta(self.tp, self.predicted, self.true, beta, self.precision_per_class(), self.recall_per_class(),
                      self._divide)

    def averaged(self, per_class: np.ndarray) -> np.ndarray:
        """The positive class's value (binary) or the macro mean over classes, shape (B,)."""
        return per_class[..., self.pos] if self.pos is not None else per_class.mean(axis=-1)

    def accuracy(self) -> np.ndarray:
        return divide(self.tp.sum(axis=-1), self.n, np.nan)

    def balanced_accuracy(self) -> np.ndarray:
        """Mean recall over the classes present in the true labels."""
        present = self.true > 0
        recall = divide(self.tp, self.true, 0.0)
        return np.asarray(recall.sum(axis=-1) / np.maximum(present.sum(axis=-1), 1))

    def mcc(self) -> np.ndarray:
        """Matthews correlation coefficient over the whole matrix (0 when undefined)."""
        n = self.n
        cov_ytyp = self.tp.sum(axis=-1) * n - (self.true * self.predicted).sum(axis=-1)
        cov_ypyp = n ** 2 - (self.predicted * self.predicted).sum(axis=-1)
        cov_ytyt = n ** 2 - (self.true * self.true).sum(axis=-1)
        denom = cov_ypyp * cov_ytyt
        with np.errstate(invalid="ignore"):
            return np.where(denom == 0, 0.0, cov_ytyp / np.sqrt(np.where(denom == 0, 1.0, denom)))
