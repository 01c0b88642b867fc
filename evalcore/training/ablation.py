"""Ablation study: the baseline and each strategy switched on alone (and optionally all together), over several
seeds, queued in one local worker process (or run in parallel on a Ray cluster); then each strategy's effect on test accuracy and loss against the baseline,
paired by seed, with an interval across seeds. No Keras here.

Example:
    >>> from evalcore.training.config import TrainConfig
    >>> names = [v for v, _ in variants(TrainConfig(dataset="wine"))]
    >>> names[0], names[-1], "dropout" in names, "augmentation" in names  # augmentation is for images only
    ('baseline', 'all on', True, False)
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

import numpy as np
import pandas as pd

from evalcore.advice import verdict
from evalcore.errors import input_error
from evalcore.runs import ACTIVE, QUEUED, STOPPED, Run, RunStore
from evalcore.runs.rows import group as settings_group
from evalcore.runs.rows import number
from evalcore.training import launch, strategies
from evalcore.training.config import TrainConfig
from evalcore.training.executor import Request
from evalcore.training.datasets import unavailable_strategies

MAX_SEEDS = 50  # a confirmation the seed planner sizes can need more than a study's 10
KEY = "ablation"  # the extra key in a run's config: {"group", "variant", "seed"}


def variants(base: TrainConfig, include_all: bool = True) -> list[tuple[str, TrainConfig]]:
    """Baseline (every strategy off), each applicable strategy alone with the base's settings for it, all on."""
    blocked = unavailable_strategies(base.dataset)
    every = strategies.names()
    usable = [s for s in every if s not in blocked]
    baseline = base.replace(**{s: replace(getattr(base, s), enabled=False) for s in every})
    out = [("baseline", baseline)]
    for s in usable:
        out.append((s, baseline.replace(**{s: replace(getattr(base, s), enabled=True)})))
    if include_all and len(usable) > 1:
        out.append(("all on", baseline.replace(**{s: replace(getattr(base, s), enabled=True) for s in usable})))
    return out


def start(base: TrainConfig, store: RunStore, seeds: int = 3, include_all: bool = True,
          request: Request | None = None) -> str:
    """Queue every variant x seed as a run of one group and start them (locally: one worker for the queue; on
    Ray: a task each, in parallel); returns the group."""
    if not 1 <= seeds <= 10:
        raise input_error("1 to 10 seeds", f"{seeds}", "choose fewer seeds")
    return start_variants(variants(base, include_all), store, seeds, request)


def start_variants(plan_variants: list[tuple[str, TrainConfig]], store: RunStore, seeds: int = 3,
                   request: Request | None = None, label: str = "ablation", extra: dict | None = None) -> str:
    """Queue each (name, settings) x seed as a run of one new group, the first variant being the "baseline" the
    others are compared with, seed k of every variant the same (paired); returns the group. ``extra`` is kept
    in each run's group entry (an advice test: the prescription it tests)."""
    if not 1 <= seeds <= MAX_SEEDS:
        raise input_error(f"1 to {MAX_SEEDS} seeds", f"{seeds}", "choose fewer seeds")
    plan = [(name, replace(config, seed=plan_variants[0][1].seed + s)) for s in range(seeds)
            for name, config in plan_variants]
    for _, config in plan:
        launch.check(config)
    group = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:4]
    ids = [launch.queue(store, config, f"{label} {group} · {name} · seed {config.seed}",
                        {KEY: {"group": group, "variant": name, "seed": config.seed, **(extra or {})}})
           for name, config in plan]
    launch.dispatch(store, ids, request, log_name=f"{label}-{group}.log")  # locally: one queue worker
    return group


def membership(run: Run) -> tuple[str, str, int] | None:
    """(group, variant, seed) of a run queued by an ablation study; None for other runs (or a damaged entry).

    >>> from evalcore.runs.rows import decode_run
    >>> membership(decode_run({"id": 1, "config": '{"ablation": {"group": "g", "variant": "l2", "seed": 1}}'}))
    ('g', 'l2', 1)
    """
    info = settings_group(run.config, KEY)
    g, v, s = info.get("group"), info.get("variant"), info.get("seed")
    if isinstance(g, str) and g and isinstance(v, str) and isinstance(s, int) and not isinstance(s, bool):
        return g, v, s
    return None


def groups_tagged(store: RunStore, key: str, value: object, runs: list[Run] | None = None) -> dict[str, dict]:
    """The groups whose runs' entries have ``key`` = ``value`` (an advice test's ``advice_for``, a learning
    curve's ``curve_for``), newest first, each with the entry of its newest run."""
    seen: dict[str, dict] = {}
    for r in store.runs(kind="train") if runs is None else runs:
        info = settings_group(r.config, KEY)
        if info.get(key) == value and isinstance(info.get("group"), str):
            seen.setdefault(info["group"], info)
    return seen


def group_runs(store: RunStore, group: str, runs: list[Run] | None = None) -> list[Run]:
    """The group's runs, from ``runs`` if the caller already read them (one store read per page run)."""
    runs = store.runs(kind="train") if runs is None else runs
    return [r for r in runs if (membership(r) or ("",))[0] == group]


def groups(store: RunStore, runs: list[Run] | None = None) -> list[str]:
    """Ablation groups, newest first."""
    seen: dict[str, None] = {}
    for r in store.runs(kind="train") if runs is None else runs:
        m = membership(r)
        if m:
            seen.setdefault(m[0], None)
    return list(seen)


def cancel(store: RunStore, group: str) -> None:
    """Stop the running run of the group and mark the queued ones stopped (they never start)."""
    for r in group_runs(store, group):
        if r.status == QUEUED:
            store.set_status(r.id, STOPPED, error="Cancelled before it started.")
        elif r.active:
            store.request_stop(r.id)


def effects(store: RunStore, group: str, confidence: float = 0.95, runs: list[Run] | None = None) -> pd.DataFrame:
    """Per variant: runs done, mean test accuracy and log loss, and the effect against the baseline (variant -
    baseline, paired by seed) with a t interval across seeds, its p-value, and the verdict with Holm's
    correction across the variants tested together (:mod:`evalcore.advice.verdict`)."""
    rows = []
    runs = group_runs(store, group, runs)
    member = {r.id: m for r in runs if (m := membership(r)) is not None}  # every run of the group has one
    done = {member[r.id][1:]: r.summary for r in runs if "accuracy" in r.summary}
    order = list(dict.fromkeys(member[r.id][1] for r in sorted(runs, key=lambda r: r.id)))
    for variant in order:
        seeds = sorted(s for v, s in done if v == variant)
        row = {"variant": variant, "runs done": len(seeds),
               "runs planned": sum(member[r.id][1] == variant for r in runs),
               "active": sum(member[r.id][1] == variant and r.status in ACTIVE for r in runs)}
        for metric, key in METRICS:
            values = np.array([number(done[(variant, s)].get(key)) for s in seeds], dtype=float)
            row[metric] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
            paired = [s for s in seeds if ("baseline", s) in done]
            e = verdict.paired_effect([number(done[(variant, s)].get(key)) for s in paired],
                                      [number(done[("baseline", s)].get(key)) for s in paired],
                                      higher_is_better=key == "accuracy", confidence=confidence)
            row[f"{metric} effect"], row[f"{metric} low"], row[f"{metric} high"] = e.mean, e.low, e.high
            row[f"{metric} p"], row[f"{metric} sd"], row[f"{metric} pairs"] = e.p_value, e.sd, e.n
        for cost in ("cpu_seconds", "peak_memory_mb"):  # what the variant costs, beside what it gains
            values = np.array([number(done[(variant, s)].get(cost)) for s in seeds], dtype=float)
            row[COSTS[cost]] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    for metric, key in METRICS:
        _holm_verdicts(table, metric, key == "accuracy", 1 - confidence)
    return table


METRICS = (("test accuracy", "accuracy"), ("test log loss", "log_loss"))
COSTS = {"cpu_seconds": "CPU seconds", "peak_memory_mb": "peak memory (MB)"}


def _holm_verdicts(table: pd.DataFrame, metric: str, higher_is_better: bool, alpha: float) -> None:
    """The metric's verdict per variant, its p-value Holm-adjusted over the variants (not the baseline)."""
    if table.empty:
        return
    tested = table["variant"] != "baseline"
    p = table[f"{metric} p"].where(tested, np.nan).to_numpy(dtype=float)
    adjusted = np.array(verdict.holm(p))
    effect = table[f"{metric} effect"].to_numpy(dtype=float)
    out = []
    for i in range(len(table)):
        if not tested.iloc[i]:
            out.append("")
        elif np.isfinite(adjusted[i]) and adjusted[i] < alpha and effect[i] != 0:
            out.append(verdict.HELPS if (effect[i] > 0) == higher_is_better else verdict.HURTS)
        else:
            out.append(verdict.UNSURE)
    table[f"{metric} p (Holm)"] = adjusted
    table[f"{metric} verdict"] = out
