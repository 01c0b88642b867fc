"""Test this advice: the run's settings as they are against the prescribed change, over K paired seeds, queued
through the executor (one local worker, or parallel Ray tasks); then the verdict and the seed planner.

A trial is an ablation group (:func:`evalcore.training.ablation.start_variants`) of two variants, "baseline" (the
run's settings) and the prescription, whose entries also name the run it advises and the prescription.

Example:
    >>> planned_seeds(0.01, 0.01, done=5)
    (10, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalcore.advice.prescriptions import Prescription
from evalcore.advice.verdict import seeds_needed
from evalcore.errors import input_error
from evalcore.runs import Run, RunStore
from evalcore.training import ablation
from evalcore.training.config import TrainConfig
from evalcore.training.executor import Request

MIN_EFFECT = {"test accuracy": 0.01, "test log loss": 0.02}  # the effect worth finding, when none is seen yet


@dataclass(frozen=True)
class Trial:
    group: str
    prescription: str  # its title: the variant's name
    advised_run: int
    confirms: str | None = None  # the trial whose spread sized this one (a confirmation on new seeds)


def start_trial(store: RunStore, run_id: int, prescription: Prescription, seeds: int = 3,
                request: Request | None = None) -> str:
    """Queue the run's settings and ``prescription`` applied to them over ``seeds`` paired seeds (from the run's
    seed); returns the group."""
    if seeds < 2:
        raise input_error("at least 2 seeds for a test of the advice", str(seeds),
                          "choose 2 seeds or more: one seed has no interval")
    config = TrainConfig.from_dict(store.run(run_id).config)
    return ablation.start_variants([("baseline", config), (prescription.title, prescription.apply(config))],
                                   store, seeds, request, label="advice",
                                   extra={"advice_for": run_id, "prescription": prescription.title})


def trials(store: RunStore, run_id: int, runs: list[Run] | None = None) -> list[Trial]:
    """The trials of a run's advice, newest first."""
    return [Trial(group, str(info.get("prescription", "")), run_id,
                  info["confirms"] if isinstance(info.get("confirms"), str) else None)
            for group, info in ablation.groups_tagged(store, "advice_for", run_id, runs).items()]


def can_confirm(store: RunStore, trial: Trial, runs: list[Run] | None = None) -> bool:
    """A test (not a confirmation) that no confirmation has followed yet: one confirmation per test, so its
    verdict is not one of many looks."""
    return trial.confirms is None and not any(t.confirms == trial.group
                                              for t in trials(store, trial.advised_run, runs))


def add_seeds(store: RunStore, trial: Trial, more: int, request: Request | None = None) -> str:
    """Queue ``more`` seeds of the trial as its confirmation, on seeds no test of this advice has used (its
    verdict is its own: the first trial's seeds only sized it, so peeking does not inflate the false-positive
    rate). A confirmation of a confirmation, or a second one, is refused."""
    if not can_confirm(store, trial):
        raise input_error("a test of the advice that has not been confirmed yet", f"'{trial.prescription}' "
                          "already confirmed, or a confirmation itself", "read the confirmation's own verdict")
    runs = ablation.group_runs(store, trial.group)
    role = {r.id: (ablation.membership(r) or ("", "", 0))[1] for r in runs}
    baseline = next((r for r in runs if role[r.id] == "baseline"), None)
    changed = next((r for r in runs if role[r.id] == trial.prescription), None)
    if baseline is None or changed is None:
        raise input_error(f"the runs of the test of '{trial.prescription}'", "some deleted",
                          "start a new test of the advice")
    config, change = TrainConfig.from_dict(baseline.config), TrainConfig.from_dict(changed.config)
    used = [m[2] for t in trials(store, trial.advised_run) if t.prescription == trial.prescription
            for r in ablation.group_runs(store, t.group) if (m := ablation.membership(r)) is not None]
    start = max(used) + 1
    return ablation.start_variants([("baseline", config.replace(seed=start)),
                                    (trial.prescription, change.replace(seed=start))],
                                   store, more, request, label="advice",
                                   extra={"advice_for": trial.advised_run, "prescription": trial.prescription,
                                          "confirms": trial.group})


def planned_seeds(sd: float, effect: float, done: int, power: float = 0.8) -> tuple[int, int] | None:
    """(seeds a confirmation needs to find ``effect`` with ``power``, given the pilot's spread ``sd``; how many
    more than the ``done`` seeds that is), or None when over 50 seeds would be needed or the spread is unknown."""
    n = seeds_needed(sd, effect, power)
    return None if n is None else (n, max(0, n - done))


def effects_table(store: RunStore, trial: Trial, runs: list[Run] | None = None) -> pd.DataFrame:
    """The trial's effects table (:func:`evalcore.training.ablation.effects`): the baseline's row, the change's."""
    return ablation.effects(store, trial.group, runs=runs)


def effect_row(store: RunStore, trial: Trial, runs: list[Run] | None = None,
               table: pd.DataFrame | None = None) -> pd.Series | None:
    """The prescription's row of the trial's effects table (None until a seed of both is done); ``table``: the
    table already computed."""
    table = effects_table(store, trial, runs) if table is None else table
    rows = table[table["variant"] == trial.prescription]
    return None if rows.empty else rows.iloc[0]
