"""Is a change real or seed noise? The paired difference over seeds, its t interval, a verdict, the seeds a
test needs, and the Holm correction when several changes are tested at once.

Runs of the two settings share seeds (seed k of the change against seed k of the current settings), so the
seed-to-seed variation they share cancels in the difference.

Example:
    >>> e = paired_effect([0.91, 0.93, 0.92, 0.94], [0.90, 0.91, 0.90, 0.92], higher_is_better=True)
    >>> e.verdict, e.n, round(e.mean, 4)
    ('helps', 4, 0.0175)
    >>> seeds_needed(sd=0.01, effect=0.01)
    10
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats

HELPS, HURTS, UNSURE = "helps", "hurts", "can't tell"
MAX_SEEDS = 50  # the planner's ceiling: beyond it the effect is too small to chase with seeds


@dataclass(frozen=True)
class Effect:
    """The change's effect on one metric: mean paired difference (change − current) over ``n`` seeds, its
    interval, the two-sided p-value of the paired t-test, and the verdict at ``confidence``."""

    mean: float
    low: float
    high: float
    n: int
    p_value: float
    verdict: str
    confidence: float = 0.95

    @property
    def sd(self) -> float:
        """The standard deviation of the paired differences (NaN under two seeds), from the interval."""
        if self.n < 2 or not math.isfinite(self.high):
            return math.nan
        return (self.high - self.mean) / stats.t.ppf((1 + self.confidence) / 2, self.n - 1) * math.sqrt(self.n)


def differences(change: Sequence[float], current: Sequence[float]) -> np.ndarray:
    """change − current for the seeds where both are finite numbers."""
    a, b = np.asarray(change, dtype=float), np.asarray(current, dtype=float)
    d = a - b
    return d[np.isfinite(d)]


def paired_effect(change: Sequence[float], current: Sequence[float], *, higher_is_better: bool,
                  confidence: float = 0.95, p_threshold: float | None = None) -> Effect:
    """The effect of the change from per-seed values of the change and of the current settings (same order,
    same seeds). The verdict is "helps" or "hurts" when the interval excludes 0 (equivalently p < 1 −
    confidence), else "can't tell"; ``p_threshold`` replaces that test (a Holm-adjusted p against it)."""
    d = differences(change, current)
    n = len(d)
    if n == 0:
        return Effect(math.nan, math.nan, math.nan, 0, math.nan, UNSURE, confidence)
    mean = float(d.mean())
    if n < 2:
        return Effect(mean, math.nan, math.nan, 1, math.nan, UNSURE, confidence)
    sd = float(d.std(ddof=1))
    if sd <= 1e-9 * max(1.0, abs(mean)):  # no spread (up to float rounding: 343/360 - 340/360 varies in its last
        # bit): every seed moved by the same amount, certain from three seeds on (accuracy moves in steps of one
        # test row, so two seeds agree by chance too often), unless it is no move at all
        sd = 0.0
        p = 1.0 if mean == 0 else (0.0 if n >= 3 else math.nan)
        low = high = mean
    else:
        se = sd / math.sqrt(n)
        half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * se
        low, high = mean - half, mean + half
        p = float(2 * stats.t.sf(abs(mean) / se, n - 1))
    alpha = 1 - confidence if p_threshold is None else p_threshold
    verdict = UNSURE
    if math.isfinite(p) and p < alpha and mean != 0:
        verdict = HELPS if (mean > 0) == higher_is_better else HURTS
    return Effect(mean, float(low), float(high), n, p, verdict, confidence)


def power(n: int, sd: float, effect: float, alpha: float = 0.05) -> float:
    """The chance that a two-sided paired t-test at ``alpha`` over ``n`` seeds finds an effect of size
    ``effect`` when the paired differences vary by ``sd`` (the noncentral t distribution).

    >>> round(power(10, 1.0, 1.0), 3)
    0.803
    """
    if n < 2 or not sd > 0:
        return math.nan
    df = n - 1
    nc = abs(effect) / (sd / math.sqrt(n))
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc))


def seeds_needed(sd: float, effect: float, target_power: float = 0.8, alpha: float = 0.05,
                 most: int = MAX_SEEDS) -> int | None:
    """The fewest paired seeds (at least 2) whose test finds ``effect`` with ``target_power``; None when even
    ``most`` seeds would not (or the variation is unknown)."""
    if not (math.isfinite(sd) and sd > 0 and math.isfinite(effect) and effect != 0):
        return None
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(target_power)
    start = max(2, math.floor((z * sd / abs(effect)) ** 2))  # the normal approximation: never above the answer
    for n in range(start, most + 1):
        if power(n, sd, effect, alpha) >= target_power:
            return n
    return None


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (NaN stays NaN and takes no part): compare each with alpha to keep
    the chance of any false "helps"/"hurts" among the changes tested together at alpha.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), np.nan)
    valid = np.flatnonzero(np.isfinite(p))
    m = len(valid)
    order = valid[np.argsort(p[valid], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return [float(x) for x in out]
