"""Ablation study: the plan, the effects against the baseline (paired by seed), a real queue, cancelling."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from evalcore.runs import FINISHED, STOPPED, SqliteRunStore
from evalcore.training import ablation, strategies
from evalcore.training.config import Dropout, TrainConfig
from tests.waiting import wait_for

BUILT_IN = ("augmentation", "l2", "dropout", "schedule", "transfer")


def test_plan_switches_one_strategy_on_at_a_time_with_the_base_settings():
    base = TrainConfig(dataset="digits", dropout=Dropout(enabled=False, rate=0.3))
    plan = dict(ablation.variants(base))
    assert list(plan) == ["baseline", *strategies.names(), "all on"]  # every strategy that applies to images
    assert [v for v in plan if v in BUILT_IN] == list(BUILT_IN)
    on = {name: [s for s in strategies.names() if getattr(c, s).enabled] for name, c in plan.items()}
    assert on["baseline"] == [] and on["dropout"] == ["dropout"] and on["all on"] == list(strategies.names())
    assert plan["dropout"].dropout.rate == 0.3  # the base's setting, though it was off in the base
    tabular = list(dict(ablation.variants(TrainConfig(dataset="iris"), include_all=False)))
    assert [v for v in tabular if v == "baseline" or v in BUILT_IN] == ["baseline", "l2", "dropout", "schedule"]


def test_effects_are_paired_by_seed_with_a_t_interval(tmp_path):
    store = SqliteRunStore(tmp_path)
    accuracy = {("baseline", 0): 0.80, ("baseline", 1): 0.70, ("baseline", 2): 0.75,
                ("dropout", 0): 0.85, ("dropout", 1): 0.78, ("dropout", 2): 0.79}
    for (variant, seed), acc in accuracy.items():
        run_id = store.create_run(variant, "train", {"dataset": "iris",
                                                     ablation.KEY: {"group": "g", "variant": variant, "seed": seed}},
                                  status=FINISHED)
        store.set_summary(run_id, {"accuracy": acc, "log_loss": 1 - acc})
    table = ablation.effects(store, "g").set_index("variant")
    diffs = np.array([0.05, 0.08, 0.04])
    half = stats.t.ppf(0.975, 2) * diffs.std(ddof=1) / np.sqrt(3)
    row = table.loc["dropout"]
    assert row["runs done"] == 3 and row["test accuracy effect"] == pytest.approx(diffs.mean())
    assert row["test accuracy low"] == pytest.approx(diffs.mean() - half)
    assert row["test log loss effect"] == pytest.approx(-diffs.mean())
    assert table.loc["baseline", "test accuracy effect"] == 0


def test_a_real_study_runs_its_queue_in_one_worker(tmp_path):
    store = SqliteRunStore(tmp_path)
    group = ablation.start(TrainConfig(dataset="iris", epochs=2), store, seeds=2, include_all=False)
    runs = ablation.group_runs(store, group)
    planned = [v for v, _ in ablation.variants(TrainConfig(dataset="iris"), include_all=False)]
    assert [v for v in planned if v == "baseline" or v in BUILT_IN] == ["baseline", "l2", "dropout", "schedule"]
    assert len(runs) == 2 * len(planned) and len({r.pid for r in runs}) == 1  # one queue worker
    wait_for(lambda: all(r.status == FINISHED for r in ablation.group_runs(store, group)), 180, "the study")
    table = ablation.effects(store, group)
    assert table["variant"].tolist() == planned
    assert (table["runs done"] == 2).all() and table["test accuracy effect"].notna().all()


def test_cancel_stops_the_running_run_and_the_queue(tmp_path):
    store = SqliteRunStore(tmp_path)
    group = ablation.start(TrainConfig(dataset="mnist", epochs=100, train_size=1500), store, seeds=1)
    wait_for(lambda: any(r.status == "running" for r in ablation.group_runs(store, group)), 90, "the first run")
    ablation.cancel(store, group)
    wait_for(lambda: not any(r.active for r in ablation.group_runs(store, group)), 90, "the end of the queue")
    statuses = [r.status for r in ablation.group_runs(store, group)]
    assert set(statuses) == {STOPPED}
