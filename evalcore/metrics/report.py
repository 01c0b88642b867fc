"""The results of an evaluation: metric estimates with intervals, per-class rows, curves, calibration.

Produced by :func:`evalcore.metrics.evaluation.evaluate`; consumed by the page, the CLI and the exports.

Example:
    >>> Estimate(0.9, 0.85, 0.94, "DeLong").as_dict()["low"]
    0.85
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A metric value with its confidence interval and how both were computed."""

    value: float
    low: float
    high: float
    method: str
    definition: str = ""

    def as_dict(self) -> dict:
        return {"value": self.value, "low": self.low, "high": self.high, "method": self.method,
                "definition": self.definition}


@dataclass(frozen=True)
class ClassStats:
    label: str
    precision: Estimate
    recall: Estimate
    f1: Estimate
    support: int
    predicted: int


@dataclass(frozen=True)
class ClassCurves:
    """Display-sized ROC and PR curves of one class (one-vs-rest), plus exact AUC and AP."""

    label: str
    fpr: np.ndarray
    tpr: np.ndarray
    roc_thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    pr_thresholds: np.ndarray
    auc: float
    average_precision: float
    prevalence: float


@dataclass(frozen=True)
class Calibration:
    """Reliability diagram data: per probability bin, mean prediction, observed frequency, count."""

    label: str
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray
    count: np.ndarray


@dataclass(frozen=True)
class ScoreHistogram:
    """Histogram of one class's score, split by true class (the class vs the rest, or each class for binary)."""

    label: str
    edges: np.ndarray
    counts: dict[str, np.ndarray]


@dataclass(frozen=True)
class EvaluationReport:
    """Everything the Evaluate page shows; every metric has an interval."""

    task: str
    n_rows: int
    classes: tuple[str, ...]
    pos_label: str | None
    threshold: float | None
    prediction_rule: str
    average: str
    zero_division: float
    clipping: str
    confidence: float
    n_resamples: int
    metrics: dict[str, Estimate]
    per_class: tuple[ClassStats, ...] = ()
    confusion: np.ndarray | None = None
    curves: tuple[ClassCurves, ...] = ()
    calibration: tuple[Calibration, ...] = ()
    histograms: tuple[ScoreHistogram, ...] = ()
    best_thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def has_calibration(self) -> bool:
        """Whether there is a calibration chart: only for probabilities (every score in [0, 1]); never for
        ranking scores outside [0, 1], predicted labels alone, or regression.

        >>> EvaluationReport("binary", 2, ("0", "1"), "1", None, "", "binary", 0.0, "", 0.95, 10, {}).has_calibration
        False
        """
        return bool(self.calibration)

    def settings(self) -> dict:
        """The policies behind the numbers, as the UI shows them next to each metric."""
        return {"task": self.task, "rows": self.n_rows, "positive label": self.pos_label,
                "threshold": self.threshold, "prediction rule": self.prediction_rule, "averaging": self.average,
                "zero_division": self.zero_division, "clipping": self.clipping,
                "confidence": self.confidence, "bootstrap resamples": self.n_resamples}
