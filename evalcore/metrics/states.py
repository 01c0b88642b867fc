"""The states a metric spec computes from, apart from the confusion-matrix counts
(:class:`evalcore.metrics._counts.CountState`).

* :class:`RankingState`: per class (one-vs-rest; the positive class alone for binary), the results of the one
  score sort: class sizes, AUC with its DeLong variance, average precision with its bootstrap interval.
* :class:`ProbabilityState`: the probabilities and true labels, for per-row losses.
* :class:`RegressionState`: true and predicted values, with the random stream for small-N bootstraps.

Example:
    >>> s = RegressionState(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 2.0]), 0.95, np.random.default_rng(0))
    >>> s.errors.tolist()
    [0.0, -0.5, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from evalcore.metrics import _intervals as iv


@dataclass(frozen=True)
class ClassRanking:
    """One class against the rest: sizes, AUC and its DeLong variance, AP and its interval."""

    n_pos: float
    n_neg: float
    auc: float
    auc_variance: float
    ap: float = float("nan")
    ap_low: float = float("nan")
    ap_high: float = float("nan")

    @property
    def defined(self) -> bool:
        """Both the class and the rest occur in the true labels."""
        return self.n_pos > 0 and self.n_neg > 0


@dataclass(frozen=True)
class RankingState:
    """Ranking results of a binary task (one entry, the positive class) or of each class of a multiclass task."""

    binary: bool
    classes: tuple[ClassRanking, ...]
    confidence: float

    def present(self) -> list[ClassRanking]:
        return [c for c in self.classes if c.defined]


@dataclass(frozen=True)
class ProbabilityState:
    """Probabilities in [0, 1]: binary (``is_pos`` and the positive class's ``score``) or multiclass
    (``codes_true`` and one ``proba`` column per class)."""

    binary: bool
    is_pos: np.ndarray | None = None
    score: np.ndarray | None = None
    codes_true: np.ndarray | None = None
    proba: np.ndarray | None = None

    def p_true(self) -> np.ndarray:
        """The probability given to each row's true class (multiclass), a new array."""
        assert self.proba is not None and self.codes_true is not None
        return self.proba[np.arange(len(self.codes_true)), self.codes_true]


@dataclass
class RegressionState:
    """True and predicted values (finite floats), the confidence level and the bootstrap's random stream.

    The stream is shared by the specs in report order, so the intervals are reproducible for a seed.
    """

    y_true: np.ndarray
    y_pred: np.ndarray
    confidence: float
    rng: np.random.Generator
    n_resamples: int = 1000
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def errors(self) -> np.ndarray:
        return self.y_true - self.y_pred

    def mean_interval(self, name: str, values: np.ndarray) -> iv.Interval:
        """The mean of per-row values with its interval, computed once per name (RMSE reuses MSE's)."""
        if name not in self._cache:
            self._cache[name] = iv.mean_interval(values, self.confidence, self.rng, self.n_resamples)
        return self._cache[name]
