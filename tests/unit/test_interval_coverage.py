"""Simulations of the intervals' coverage against a known truth (a fast version; issue 13 widens them).

Average precision: binormal scores (negatives N(0, 1), positives N(d, 1)) with prevalence π have a known
population AP, the integral of precision over the positives' score density, computed here with scipy.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from evalcore.metrics import evaluate


def binormal_ap(prevalence: float, d: float) -> float:
    """The population average precision: ∫ precision(t) dTPR(t) for the rule score >= t."""

    def precision(t: float) -> float:
        tpr, fpr = stats.norm.sf(t - d), stats.norm.sf(t)
        return prevalence * tpr / (prevalence * tpr + (1 - prevalence) * fpr)

    value, _ = integrate.quad(lambda t: precision(t) * stats.norm.pdf(t - d), -12, 12 + d, limit=200)
    return value


@pytest.mark.parametrize("prevalence, d, n", [(0.3, 1.0, 1000), (0.1, 2.0, 3000)])
def test_average_precision_interval_covers_the_truth(prevalence, d, n):
    truth = binormal_ap(prevalence, d)
    rng = np.random.default_rng(7)
    reps, hits = 300, 0
    for _ in range(reps):
        y = rng.random(n) < prevalence
        score = stats.norm.cdf(rng.normal(d * y, 1.0))  # a monotone map: AP is unchanged, scores in [0, 1]
        ap = evaluate(y.astype(int), y_score=score, n_resamples=10).metrics["average_precision"]
        hits += ap.low <= truth <= ap.high
    coverage = hits / reps
    # 300 repeats: a nominal 95% interval lands in [0.92, 0.975] with probability above 0.99
    print(f"coverage {coverage:.3f}")
    assert 0.92 <= coverage <= 0.975, coverage


def test_population_ap_matches_a_large_sample():
    """The oracle itself: the integral agrees with the AP of a million rows."""
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(0)
    y = rng.random(1_000_000) < 0.3
    assert average_precision_score(y, rng.normal(1.0 * y, 1.0)) == pytest.approx(binormal_ap(0.3, 1.0), abs=3e-3)
