"""Run comparison: the runs table, honest smoothing, downsampling for display, configuration differences.

Example:
    >>> ema([1.0, 0.0, 0.0], 0.5).round(3).tolist()   # debiased: the first value is the first point, not 0.5
    [1.0, 0.333, 0.143]
    >>> keep_for_display(np.array([5., 1., 3., 9., 2.]), 3, lower_is_better=True).tolist()
    [0, 1, 3, 4]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from evalcore.errors import InputError
from evalcore.runs import keys
from evalcore.runs.entities import Run, SeriesSummary, thin
from evalcore.runs.rows import group, number
from evalcore.runs.store import RunStore
from evalcore.training import strategies
from evalcore.training.config import TrainConfig  # the one definition of valid training settings

NO_SUMMARY = SeriesSummary(np.nan, np.nan, np.nan, 0)  # a run without that series


def ema(values, weight: float) -> np.ndarray:
    """Exponential moving average, debiased as Adam does (divide by 1 - weight^t), NaNs skipped.

    Unlike the plain EMA, the start is not pulled toward zero; ``weight`` 0 returns the values.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    acc, n = 0.0, 0
    for i, v in enumerate(values):
        if math.isfinite(v):
            acc = weight * acc + (1 - weight) * v
            n += 1
        if n:
            out[i] = acc / (1 - weight ** n) if weight < 1 else values[i]
    return out


def moving_average(values, window: int) -> np.ndarray:
    """Trailing mean of the last ``window`` points (fewer at the start), NaNs skipped."""
    values = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(values)
    csum = np.concatenate(([0.0], np.cumsum(np.where(ok, values, 0.0))))
    ccount = np.concatenate(([0], np.cumsum(ok)))
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(0, idx - window)
    count = ccount[idx] - ccount[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (csum[idx] - csum[lo]) / np.maximum(count, 1), np.nan)


def keep_for_display(values: np.ndarray, max_points: int, lower_is_better: bool) -> np.ndarray:
    """Indices of at most ~``max_points`` points to draw: first, last, best, and each bucket's min and max
    (:func:`evalcore.runs.entities.thin`, with the best point kept).

    The full series stays in the store; this only thins what the browser draws.
    """
    finite = np.where(np.isfinite(values), values, np.nan)
    best = [] if not np.isfinite(finite).any() else \
        [int(np.nanargmin(finite) if lower_is_better else np.nanargmax(finite))]
    return thin(values, max(max_points, 4), keep=best)


def _strategy_text(config: dict) -> dict[str, str]:
    """Each strategy as 'off' or its main settings, for the table's columns (odd stored values shown as-is)."""
    return {s.name: s.text(group(config, s.name)) for s in strategies.registry()}


def runs_table(store: RunStore, runs: list[Run] | None = None) -> pd.DataFrame:
    """One row per run: name, status, where it executes (machine or Ray node), dataset, strategies, best and last validation metrics, epochs, duration,
    and the problems of a run whose stored fields could not all be read (so it can be fixed or deleted)."""
    runs = store.runs() if runs is None else runs
    summaries = store.series_summaries(keys.TABLE_KEYS)
    rows = []
    for r in runs:
        va = summaries.get((r.id, keys.epoch_key("accuracy", True)), NO_SUMMARY)
        vl = summaries.get((r.id, keys.epoch_key("loss", True)), NO_SUMMARY)
        trained = summaries.get((r.id, keys.epoch_key("loss")), NO_SUMMARY)
        test = r.summary.get("accuracy")  # the test set's (training runs) or the file's (saved evaluations)
        row = {"id": r.id, "name": r.name, "status": r.status, "where": r.where, "kind": r.kind,
               "dataset": str(r.config.get("dataset", r.config.get("file", ""))),
               **_strategy_text(r.config),
               "best val acc": va.high, "last val acc": va.last, "best val loss": vl.low, "last val loss": vl.last,
               "test acc": number(test), "epochs": trained.count,
               "seconds": r.duration if r.duration is not None else np.nan,
               "created": pd.Timestamp(r.created, unit="s") if r.created is not None else pd.NaT,
               "tags": ", ".join(r.tags), "note": r.note, "problems": "; ".join((*r.problems, *_settings_problem(r)))}
        rows.append(row)
    columns = ["id", "name", "problems", "status", "where", "kind", "dataset", *strategies.names(), "best val acc", "last val acc",
               "best val loss", "last val loss", "test acc", "epochs", "seconds", "created", "tags", "note"]
    return pd.DataFrame(rows, columns=columns)


def _settings_problem(run: Run) -> tuple[str, ...]:
    """A training run's settings that the Train page would refuse (``{"dropout": 5}``), as a problem to show."""
    if run.kind != "train" or not run.config:
        return ()
    try:
        TrainConfig.from_dict(run.config).validate()
    except InputError as exc:
        return (f"config: {exc}",)
    return ()


def flatten(config: dict, prefix: str = "") -> dict[str, object]:
    """Nested settings as dotted keys: {'dropout': {'rate': 0.5}} -> {'dropout.rate': 0.5}."""
    out: dict[str, object] = {}
    for key, value in config.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def config_diff(runs: list[Run], only_differences: bool = False) -> pd.DataFrame:
    """Settings (rows) by run (columns), with a 'differs' column; a switched-off strategy's sub-settings read
    '(off)', since they did nothing."""
    flat = {f"#{r.id}": _effective(flatten(r.config)) for r in runs}
    keys = sorted({k for f in flat.values() for k in f})
    table = pd.DataFrame({name: [f.get(k, "(off)") for k in keys] for name, f in flat.items()}, index=keys)
    table = table.astype(str)
    table.insert(0, "differs", table.nunique(axis=1) > 1)
    table.index.name = "setting"
    return table[table["differs"]] if only_differences else table


def _effective(flat: dict[str, object]) -> dict[str, object]:
    """Drop the sub-settings of switched-off strategies: they did nothing, so they are not differences."""
    off = {s for s in strategies.names() if flat.get(f"{s}.enabled") is False}
    return {k: v for k, v in flat.items() if k.split(".")[0] not in off or k.endswith(".enabled")}


def settings_and_results(runs: list[Run], table: pd.DataFrame) -> pd.DataFrame:
    """One numeric row per run for the parallel-coordinates chart: settings (a strategy switched off is 0) and
    the best and final validation metrics. A setting that is not a number reads as NaN."""
    by_id = table.set_index("id")
    rows = []
    for r in runs:
        c = r.config
        rate = number(c.get("learning_rate", 1e-3))
        rows.append({
            "run": f"#{r.id}",
            "log10 learning rate": math.log10(rate) if rate > 0 else np.nan,
            "batch size": number(c.get("batch_size")),
            "training rows": number(c.get("train_size")),
            **{s.axis or s.name: _axis_value(s, group(c, s.name)) for s in strategies.registry()},
            "best val acc": by_id.loc[r.id, "best val acc"] if r.id in by_id.index else np.nan,
            "last val acc": by_id.loc[r.id, "last val acc"] if r.id in by_id.index else np.nan,
            "best val loss": by_id.loc[r.id, "best val loss"] if r.id in by_id.index else np.nan,
        })
    return pd.DataFrame(rows)


def _axis_value(strategy: strategies.Strategy, stored: dict) -> float:
    """A strategy on its parallel-coordinates axis: 0 when off, else its axis setting (or 1)."""
    if not stored.get("enabled"):
        return 0.0
    return 1.0 if strategy.axis_setting is None else number(stored.get(strategy.axis_setting, 0.0))
