"""The statistics of "is the change real?": checked against scipy and statsmodels, then by simulation (the
false-positive rate of a no-op, the power the planner promises, the coverage of the interval, Holm's
family-wise error)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

from evalcore.advice.verdict import HELPS, HURTS, UNSURE, holm, paired_effect, power, seeds_needed

REPEATS = 4000
# a rate estimated from REPEATS runs is within this of the truth in all but 1 in 10,000 runs of the test
SLACK = 3.9 * math.sqrt(0.05 * 0.95 / REPEATS)


def _seeds(rng, k: int, effect: float, noise: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Per-seed test accuracy of the current settings and of the change: a seed-to-seed level both share,
    plus each run's own noise, plus the change's true effect."""
    level = rng.normal(0.9, 0.03, k)  # what a seed does to both (data split, initial weights)
    current = level + rng.normal(0, noise, k)
    change = level + effect + rng.normal(0, noise, k)
    return change, current


def test_interval_and_p_value_are_the_paired_t_test():
    rng = np.random.default_rng(1)
    change, current = _seeds(rng, 7, 0.005)
    e = paired_effect(change, current, higher_is_better=True)
    ref = stats.ttest_rel(change, current)
    ci = ref.confidence_interval(0.95)
    assert e.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert (e.low, e.high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert e.n == 7 and e.mean == pytest.approx(np.mean(change - current))
    assert e.sd == pytest.approx(np.std(change - current, ddof=1), rel=1e-9)


def test_verdict_follows_the_interval_and_the_direction():
    up = paired_effect([0.95, 0.96, 0.97], [0.90, 0.90, 0.91], higher_is_better=True)
    assert up.verdict == HELPS and up.low > 0
    assert paired_effect([0.95, 0.96, 0.97], [0.90, 0.90, 0.91], higher_is_better=False).verdict == HURTS
    loss_down = paired_effect([0.20, 0.21, 0.19], [0.30, 0.33, 0.31], higher_is_better=False)
    assert loss_down.verdict == HELPS
    unsure = paired_effect([0.91, 0.89, 0.92], [0.90, 0.91, 0.90], higher_is_better=True)
    assert unsure.verdict == UNSURE and unsure.low < 0 < unsure.high


def test_too_few_seeds_and_missing_values_are_cant_tell():
    assert paired_effect([], [], higher_is_better=True).verdict == UNSURE
    one = paired_effect([0.9], [0.8], higher_is_better=True)
    assert one.verdict == UNSURE and one.n == 1 and math.isnan(one.low)
    nan = paired_effect([0.9, float("nan"), 0.95], [0.8, 0.7, float("nan")], higher_is_better=True)
    assert nan.n == 1  # only seed 0 has both values


def test_identical_runs_are_no_effect_and_a_constant_shift_is_certain():
    same = paired_effect([0.9, 0.8, 0.7], [0.9, 0.8, 0.7], higher_is_better=True)
    assert same.verdict == UNSURE and (same.low, same.high, same.p_value) == (0, 0, 1.0)
    shift = paired_effect([0.95, 0.85, 0.75], [0.9, 0.8, 0.7], higher_is_better=True)
    assert shift.verdict == HELPS
    # two seeds that moved by one test row each agree by chance too often to be certain
    two = paired_effect([343 / 360, 341 / 360], [342 / 360, 340 / 360], higher_is_better=True)
    assert two.verdict == UNSURE and math.isnan(two.p_value)
    rounding = paired_effect([300 / 360, 302 / 360], [297 / 360, 299 / 360], higher_is_better=True)
    assert np.std(np.array([300, 302]) / 360 - np.array([297, 299]) / 360) > 0  # float rounding: not exactly 0
    assert rounding.verdict == UNSURE and rounding.sd == 0


def test_power_and_seeds_needed_match_statsmodels():
    solver = TTestPower()
    for sd, effect in ((0.01, 0.01), (0.02, 0.01), (0.005, 0.004), (1.0, 0.5)):
        for n in (2, 5, 12, 30):
            assert power(n, sd, effect) == pytest.approx(
                solver.power(effect_size=effect / sd, nobs=n, alpha=0.05, alternative="two-sided"), abs=1e-6)
        exact = solver.solve_power(effect_size=effect / sd, power=0.8, alpha=0.05, alternative="two-sided")
        assert seeds_needed(sd, effect) == max(2, math.ceil(exact - 1e-9))
    assert seeds_needed(0.05, 0.001) is None  # more than 50 seeds
    assert seeds_needed(float("nan"), 0.01) is None and seeds_needed(0.01, 0.0) is None


def test_holm_matches_statsmodels():
    rng = np.random.default_rng(2)
    for m in (1, 2, 3, 6):
        p = rng.uniform(0, 0.2, m)
        assert holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]), abs=1e-12)
    assert math.isnan(holm([0.01, float("nan"), 0.02])[1])
    assert holm([0.01, float("nan"), 0.02])[::2] == pytest.approx([0.02, 0.02])


def test_a_no_op_is_called_helps_or_hurts_in_at_most_5_percent_of_repeats():
    rng = np.random.default_rng(3)
    for k in (3, 5, 10):
        calls = [paired_effect(*_seeds(rng, k, 0.0), higher_is_better=True).verdict != UNSURE
                 for _ in range(REPEATS)]
        assert np.mean(calls) <= 0.05 + SLACK, (k, np.mean(calls))


def test_a_planted_effect_is_found_with_the_promised_power():
    rng = np.random.default_rng(4)
    sd_diff = 0.01 * math.sqrt(2)  # the paired difference's spread under _seeds' noise
    for effect in (0.01, 0.02):
        n = seeds_needed(sd_diff, effect)
        promised = power(n, sd_diff, effect)
        found = [paired_effect(*_seeds(rng, n, effect), higher_is_better=True).verdict == HELPS
                 for _ in range(REPEATS)]
        assert promised >= 0.8
        assert abs(np.mean(found) - promised) <= 3.9 * math.sqrt(promised * (1 - promised) / REPEATS), (
            effect, n, np.mean(found), promised)


def test_the_interval_covers_the_true_effect_95_percent_of_the_time():
    rng = np.random.default_rng(5)
    for k, effect in ((3, 0.0), (5, 0.01), (10, -0.02)):
        covered = []
        for _ in range(REPEATS):
            e = paired_effect(*_seeds(rng, k, effect), higher_is_better=True)
            covered.append(e.low <= effect <= e.high)
        assert abs(np.mean(covered) - 0.95) <= 0.02, (k, np.mean(covered))


def test_holm_keeps_the_family_wise_error_of_three_no_ops_at_5_percent():
    rng = np.random.default_rng(6)
    any_call, any_call_unadjusted = [], []
    for _ in range(REPEATS):
        current = rng.normal(0.9, 0.03, 5)
        changes = [current + rng.normal(0, 0.014, 5) for _ in range(3)]  # three no-op strategies, one baseline
        p = [paired_effect(c, current, higher_is_better=True).p_value for c in changes]
        adjusted = holm(p)
        verdicts = [paired_effect(c, current, higher_is_better=True, p_threshold=0.05 / 1).verdict
                    if a < 0.05 else UNSURE for c, a in zip(changes, adjusted)]
        any_call.append(any(v != UNSURE for v in verdicts))
        any_call_unadjusted.append(any(x < 0.05 for x in p))
    assert np.mean(any_call) <= 0.05 + SLACK, np.mean(any_call)
    assert np.mean(any_call_unadjusted) > 0.08  # without the correction the family errs more often


def test_a_pilot_sized_confirmation_keeps_its_false_positive_rate():
    """The planner's use: size a confirmation from the pilot's spread, then test on the new seeds alone."""
    rng = np.random.default_rng(7)
    calls = []
    for _ in range(REPEATS):
        pilot = paired_effect(*_seeds(rng, 3, 0.0), higher_is_better=True)
        n = seeds_needed(pilot.sd, 0.01) or 50
        calls.append(paired_effect(*_seeds(rng, n, 0.0), higher_is_better=True).verdict != UNSURE)
    assert np.mean(calls) <= 0.05 + SLACK, np.mean(calls)
