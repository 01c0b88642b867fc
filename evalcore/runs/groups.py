"""Seed groups: runs with the same settings but their seed are one group; a group's curve is the mean across
its runs with a t interval per epoch, and a group's result is the mean ± half-width over its n runs. Runs can
also be grouped by any one setting, the way W&B groups.

Example:
    >>> key = settings_key({"dataset": "digits", "seed": 1})
    >>> key == settings_key({"dataset": "digits", "seed": 2}), key == settings_key({"dataset": "wine", "seed": 1})
    (True, False)
    >>> m = mean_interval([0.90, 0.92, 0.94])
    >>> round(m.mean, 2), round(m.half_width, 3), m.n
    (0.92, 0.05, 3)
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats

from evalcore.runs.curves import RunCurves

# what does not change the model a run trains: its seed, how often it logs, its TensorBoard files, and the
# bookkeeping of the study that queued it
NOT_SETTINGS = frozenset({"seed", "batch_log_seconds", "tensorboard", "ablation"})
SAME_SETTINGS = "same settings (seeds pooled)"


def settings_key(config: dict) -> str:
    """A short key that runs share when only their seed (or what does not change the model) differs."""
    kept = {k: v for k, v in config.items() if k not in NOT_SETTINGS}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode()).hexdigest()[:10]


def setting_value(config: dict, setting: str) -> str:
    """A run's value of one setting as text for grouping (``dropout.rate``: a strategy's setting; a strategy's
    group alone: 'off' or its settings).

    >>> setting_value({"dropout": {"enabled": True, "rate": 0.3}}, "dropout.rate"), setting_value({}, "epochs")
    ('0.3', '—')
    """
    head, _, tail = setting.partition(".")
    value = config.get(head, None)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    elif isinstance(value, dict):
        value = "off" if not value.get("enabled", True) else ", ".join(f"{k} {v}" for k, v in sorted(value.items())
                                                                         if k != "enabled")
    return "—" if value is None else str(value)


@dataclass(frozen=True)
class MeanInterval:
    mean: float
    half_width: float  # of the t interval; NaN under two values
    n: int

    def text(self, digits: int = 4) -> str:
        """``0.9200 ± 0.0497 (n=3)``; one value: ``0.9200 (n=1)``."""
        if not math.isfinite(self.mean):
            return "—"
        spread = f" ± {self.half_width:.{digits}f}" if math.isfinite(self.half_width) else ""
        return f"{self.mean:.{digits}f}{spread} (n={self.n})"


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> MeanInterval:
    """Mean of the finite values and the half-width of their t interval."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return MeanInterval(math.nan, math.nan, 0)
    if len(v) < 2:
        return MeanInterval(float(v[0]), math.nan, 1)
    half = float(stats.t.ppf((1 + confidence) / 2, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v)))
    return MeanInterval(float(v.mean()), half, len(v))


@dataclass(frozen=True)
class Band:
    """A group's curve: per epoch (1-based), the mean across its runs, the t interval and how many runs have it."""

    epochs: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray


def band(curves: Sequence[RunCurves], metric: str, split: str = "validation", confidence: float = 0.95) -> Band:
    """The mean curve of ``metric`` on ``split`` ('train' or 'validation') across runs, epoch by epoch (a run
    that stopped earlier counts for its epochs only), with its t interval (NaN where fewer than two runs)."""
    found = [(c.train if split == "train" else c.val).get(metric) for c in curves]
    rows = [np.asarray(r, dtype=float) for r in found if r is not None and len(r)]
    length = max((len(r) for r in rows), default=0)
    grid = np.full((len(rows), length), np.nan)
    for i, r in enumerate(rows):
        grid[i, :len(r)] = r
    n = np.isfinite(grid).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(grid, axis=0) / np.maximum(n, 1), np.nan)
        sd = np.sqrt(np.nansum((grid - mean) ** 2, axis=0) / np.maximum(n - 1, 1))
        t = stats.t.ppf((1 + confidence) / 2, np.maximum(n - 1, 1))
        half = np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
    return Band(np.arange(1, length + 1), mean, mean - half, mean + half, n)


def distinct_seeds(runs: Sequence) -> list:
    """The runs with a second run of the same settings and seed left out (kept: the first with a test result,
    else the first): training is deterministic, so it is the same run again, and counting it twice would shrink
    the interval; a lost run's finished retry is the one kept.

    >>> from evalcore.runs.rows import decode_run
    >>> runs = [decode_run({"id": i, "config": c}) for i, c in ((1, '{"seed": 0}'), (2, '{"seed": 0}'),
    ...                                                       (3, '{"seed": 1}'))]
    >>> [r.id for r in distinct_seeds(runs)]
    [1, 3]
    """
    seen: set[tuple[str, object]] = set()
    out = []
    for r in sorted(runs, key=lambda r: ("accuracy" not in r.summary, r.id)):
        key = (settings_key(r.config), r.config.get("seed"))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return sorted(out, key=lambda r: r.id)


def grouped(runs: Sequence, by: str) -> dict[str, list]:
    """The runs in groups (each settings and seed once, :func:`distinct_seeds`), oldest first: ``by`` is
    :data:`SAME_SETTINGS` (one group per settings key, named after its first run, with its id: two groups can
    share a name) or a setting (``dropout.rate``; one group per value).

    >>> from evalcore.runs.rows import decode_run
    >>> runs = [decode_run({"id": i, "name": f"r{i}", "config": c}) for i, c in
    ...         ((1, '{"seed": 0}'), (2, '{"seed": 1}'), (3, '{"seed": 0, "epochs": 5}'))]
    >>> {k: [r.id for r in v] for k, v in grouped(runs, SAME_SETTINGS).items()}
    {'#1 r1 (2 runs)': [1, 2], '#3 r3 (1 run)': [3]}
    >>> list(grouped(runs, "epochs"))
    ['epochs = —', 'epochs = 5']
    """
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for r in distinct_seeds(runs):
        key = settings_key(r.config) if by == SAME_SETTINGS else f"{by} = {setting_value(r.config, by)}"
        names.setdefault(key, r.name)
        groups.setdefault(key, []).append(r)
    if by != SAME_SETTINGS:
        return groups
    return {f"#{v[0].id} {names[k]} ({len(v)} run{'s' if len(v) > 1 else ''})": v for k, v in groups.items()}
