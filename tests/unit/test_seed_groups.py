"""Seed groups: which runs are one group, the mean curve's t band per epoch (scipy as the oracle, and its
coverage by simulation), and mean ± half-width for tables."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from evalcore.runs.curves import RunCurves
from evalcore.runs.groups import band, mean_interval, setting_value, settings_key
from evalcore.training.config import Dropout, TrainConfig


def _curves(val_loss) -> RunCurves:
    v = np.asarray(val_loss, dtype=float)
    return RunCurves(np.arange(1, len(v) + 1), {"loss": v}, {"loss": v})


def test_runs_differing_only_by_seed_or_bookkeeping_are_one_group():
    a = TrainConfig(dataset="digits", seed=0).to_dict()
    b = {**TrainConfig(dataset="digits", seed=5, tensorboard=True).to_dict(), "ablation": {"group": "g"}}
    c = TrainConfig(dataset="digits", seed=0, dropout=Dropout(enabled=True)).to_dict()
    assert settings_key(a) == settings_key(b) != settings_key(c)


def test_two_groups_with_one_name_stay_two_and_a_finished_retry_replaces_its_lost_run():
    from evalcore.runs.groups import SAME_SETTINGS, grouped
    from evalcore.runs.rows import decode_run
    import json

    def run(i, lr, seed, summary):
        return decode_run({"id": i, "name": "digits · baseline", "summary": json.dumps(summary),
                           "config": json.dumps(TrainConfig(learning_rate=lr, seed=seed).to_dict())})
    runs = [run(1, 1e-3, 0, {}), run(2, 1e-3, 0, {"accuracy": 0.9}), run(3, 1e-2, 0, {"accuracy": 0.8})]
    found = grouped(runs, SAME_SETTINGS)
    assert {k: [r.id for r in v] for k, v in found.items()} == {"#2 digits · baseline (1 run)": [2],
                                                                "#3 digits · baseline (1 run)": [3]}


def test_grouping_by_one_setting():
    c = TrainConfig(dataset="digits", dropout=Dropout(enabled=True, rate=0.3)).to_dict()
    assert setting_value(c, "dropout.rate") == "0.3" and setting_value(c, "learning_rate") == "0.001"
    assert setting_value(TrainConfig().to_dict(), "dropout") == "off"
    assert setting_value({"dropout": 3}, "dropout.rate") == "—"


def test_the_band_is_scipys_t_interval_per_epoch_and_shorter_runs_count_where_they_have_values():
    rng = np.random.default_rng(0)
    runs = [rng.normal(1.0, 0.1, 6) for _ in range(4)] + [rng.normal(1.0, 0.1, 3)]
    b = band([_curves(r) for r in runs], "loss")
    assert b.epochs.tolist() == [1, 2, 3, 4, 5, 6] and b.n.tolist() == [5, 5, 5, 4, 4, 4]
    for e in range(6):
        values = [r[e] for r in runs if len(r) > e]
        low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
        assert (b.mean[e], b.low[e], b.high[e]) == pytest.approx((np.mean(values), low, high), rel=1e-9)


def test_one_run_has_a_mean_and_no_band():
    b = band([_curves([1.0, 0.5])], "loss")
    assert b.mean.tolist() == [1.0, 0.5] and np.isnan(b.low).all()
    assert band([], "loss").epochs.tolist() == []


def test_the_band_covers_the_true_mean_curve_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    truth = np.linspace(1.0, 0.3, 10)
    hits = []
    for _ in range(2000):
        b = band([_curves(truth + rng.normal(0, 0.05, 10)) for _ in range(4)], "loss")
        hits.append((b.low <= truth) & (truth <= b.high))
    assert abs(np.mean(hits) - 0.95) <= 0.02


def test_mean_and_half_width_for_tables():
    m = mean_interval([0.90, 0.92, float("nan"), 0.94])
    low, high = stats.t.interval(0.95, 2, loc=0.92, scale=stats.sem([0.90, 0.92, 0.94]))
    assert (m.mean, m.mean - m.half_width, m.n) == pytest.approx((0.92, low, 3))
    assert m.text() == f"0.9200 ± {m.half_width:.4f} (n=3)"
    assert mean_interval([0.9]).text() == "0.9000 (n=1)" and mean_interval([]).text() == "—"
    assert math.isnan(mean_interval([0.9]).half_width)
