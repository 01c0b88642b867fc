"""Would more data help? Test error against training-set size, a power law fitted to it, and the error
predicted for more rows with a bootstrap interval.

The fit is ``error(n) = a * n ** -b`` by least squares on log error against log n, over the mean error per size.
The interval resamples both what varies: each size's seeds (with replacement), and the fit's residuals on the log
scale (the curve's own wobble, which a power law does not model). It is an interval for a smooth trend, so it
says more where the sizes measured are many and close to the size predicted.

Example:
    >>> law = fit([100, 200, 400, 800], [0.2, 0.15, 0.1125, 0.084375])
    >>> round(law.b, 3), round(law.error(1600), 4)
    (0.415, 0.0633)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from evalcore.errors import input_error

FRACTIONS = (0.1, 0.25, 0.5, 1.0)  # of the training rows: the sizes a learning curve trains at
FLOOR = 1e-4  # an error of 0 (a perfect test set) is read as this, so its logarithm exists


@dataclass(frozen=True)
class PowerLaw:
    a: float
    b: float  # how fast the error falls: doubling the rows multiplies it by 2 ** -b

    def error(self, n: float) -> float:
        return float(self.a * n ** -self.b)


@dataclass(frozen=True)
class Prediction:
    """The error predicted at ``rows``, its interval, and the gain: the fitted error at the largest size measured
    minus the error predicted (positive: more data helps); ``measured_error`` is that size's mean error."""

    rows: int
    error: float
    low: float
    high: float
    measured_rows: int
    measured_error: float
    gain: float
    gain_low: float
    gain_high: float


def sizes(train_rows: int, fractions: Sequence[float] = FRACTIONS) -> list[int]:
    """The training-set sizes of a learning curve (at least 10 rows each, distinct, ascending).

    >>> sizes(1000)
    [100, 250, 500, 1000]
    """
    out = sorted({max(10, int(round(train_rows * f))) for f in fractions if 0 < f <= 1})
    if len(out) < 3:
        raise input_error("a training set of at least 40 rows for a learning curve", f"{train_rows} rows",
                          "use a larger training set")
    return out


def fit(rows: Sequence[float] | np.ndarray, errors: Sequence[float] | np.ndarray) -> PowerLaw:
    """The power law through (rows, error) points, least squares on the log scale."""
    x = np.log(np.asarray(rows, dtype=float))
    y = np.log(np.maximum(np.asarray(errors, dtype=float), FLOOR))
    slope, intercept = np.polyfit(x, y, 1)
    return PowerLaw(float(math.exp(intercept)), float(-slope))


def predict(errors_by_size: Mapping[int, Sequence[float]], rows: int, resamples: int = 2000,
            confidence: float = 0.95, seed: int = 0) -> Prediction:
    """The error at ``rows`` from per-seed test errors at each measured size (at least three sizes), with a
    bootstrap interval over the seeds and the fit's residuals."""
    measured = {int(n): np.asarray([e for e in v if np.isfinite(e)], dtype=float)
                for n, v in errors_by_size.items()}
    measured = {n: v for n, v in sorted(measured.items()) if len(v)}
    if len(measured) < 3:
        raise input_error("test errors at three training-set sizes or more", f"{len(measured)}",
                          "wait for the learning curve's runs to finish")
    ns = np.array(list(measured), dtype=float)
    means = np.array([v.mean() for v in measured.values()])
    law = fit(ns, means)
    residuals = np.log(np.maximum(means, FLOOR)) - np.log(law.a * ns ** -law.b)
    residuals *= math.sqrt(len(ns) / max(len(ns) - 2, 1))  # two fitted parameters: the residuals' spread is low
    rng = np.random.default_rng(seed)
    largest = int(ns[-1])
    predicted, gains = np.empty(resamples), np.empty(resamples)
    for i in range(resamples):
        boot = np.array([rng.choice(v, len(v)).mean() for v in measured.values()])
        boot = np.exp(np.log(np.maximum(boot, FLOOR)) + rng.choice(residuals, len(ns)))
        b_law = fit(ns, boot)
        predicted[i] = b_law.error(rows)
        gains[i] = b_law.error(largest) - predicted[i]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(predicted, [tail, 100 - tail])
    g_low, g_high = np.percentile(gains, [tail, 100 - tail])
    return Prediction(int(rows), law.error(rows), float(low), float(high), largest, float(means[-1]),
                      law.error(largest) - law.error(rows), float(g_low), float(g_high))

