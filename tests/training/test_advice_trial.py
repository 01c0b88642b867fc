"""Test this advice: the trial's runs are the run's settings and the change on the same seeds; a confirmation
uses new seeds and says which trial sized it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evalcore.advice import trial
from evalcore.advice.prescriptions import Prescription
from evalcore.errors import InputError
from evalcore.runs import FINISHED, SqliteRunStore
from evalcore.training import ablation
from evalcore.training.config import TrainConfig

RX = Prescription("dropout 0.3", "memorises less", "overfitting", {"dropout": {"enabled": True, "rate": 0.3}})


def _pilot(store: SqliteRunStore) -> tuple[int, str]:
    """A run, and a finished trial of its advice on seeds 7 and 8, written as the worker would have."""
    base = TrainConfig(dataset="iris", epochs=2, seed=7)
    run_id = store.create_run("advised", "train", base.to_dict())
    group = "pilot-group"
    for seed in (7, 8):
        for name, config in (("baseline", base), (RX.title, RX.apply(base))):
            r = store.create_run(f"advice · {name}", "train", {
                **config.replace(seed=seed).to_dict(),
                ablation.KEY: {"group": group, "variant": name, "seed": seed, "advice_for": run_id,
                               "prescription": RX.title}})
            store.finish(r, FINISHED, {"accuracy": 0.9 + 0.01 * (name != "baseline") + 0.002 * seed,
                                       "log_loss": 0.3})
    return run_id, group


def test_one_seed_is_refused_before_anything_is_queued():
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    run_id, _ = _pilot(store)
    before = len(store.runs())
    with pytest.raises(InputError, match="at least 2 seeds"):
        trial.start_trial(store, run_id, RX, seeds=1)
    assert len(store.runs()) == before


def test_the_pilot_reads_back_and_a_confirmation_uses_new_seeds():
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    run_id, group = _pilot(store)
    (t,) = trial.trials(store, run_id)
    assert (t.group, t.prescription, t.confirms) == (group, RX.title, None)
    row = trial.effect_row(store, t)
    assert row["runs done"] == 2 and row["test accuracy effect"] == pytest.approx(0.01)
    confirmation = trial.add_seeds(store, t, 3)
    ablation.cancel(store, confirmation)  # the queue worker need not train them for this test
    runs = ablation.group_runs(store, confirmation)
    assert sorted((m[1], m[2]) for r in runs if (m := ablation.membership(r))) == sorted(
        (name, seed) for seed in (9, 10, 11) for name in ("baseline", RX.title))
    assert all(TrainConfig.from_dict(r.config).dropout.enabled == (RX.title in r.name) for r in runs)
    newest = trial.trials(store, run_id)[0]
    assert newest.group == confirmation and newest.confirms == group
    # one confirmation per test, none of a confirmation: each verdict is one look
    assert not trial.can_confirm(store, t) and not trial.can_confirm(store, newest)
    with pytest.raises(InputError, match="not been confirmed yet"):
        trial.add_seeds(store, t, 3)


def test_planned_seeds():
    assert trial.planned_seeds(0.01, 0.01, done=3) == (10, 7)
    assert trial.planned_seeds(0.05, 0.001, done=3) is None
