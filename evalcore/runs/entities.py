"""What the run store holds, apart from how it stores it: a run, a logged point, a series, an artifact, a whole
run to write at once.

Example:
    >>> Point("epoch/loss", 0, 0, 0.7).key
    'epoch/loss'
    >>> downsample(Series(np.arange(10), np.zeros(10, int), np.arange(10.), np.zeros(10)), 4).steps.tolist()
    [0, 1, 8, 9]
"""

from __future__ import annotations

from collections.abc import Iterable

import time
from dataclasses import dataclass, field

import numpy as np

from evalcore.errors import input_error
from evalcore.runs.statuses import ACTIVE


@dataclass(frozen=True)
class Point:
    """One logged value: ``key`` such as ``epoch/val_loss``; ``step`` the epoch or the global batch index."""

    key: str
    step: int
    epoch: int
    value: float
    wall: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Series:
    """One metric's points, in step order."""

    steps: np.ndarray
    epochs: np.ndarray
    values: np.ndarray
    walls: np.ndarray

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class SeriesSummary:
    """A series in four numbers (the runs table's columns): lowest, highest and last value, and its length."""

    low: float
    high: float
    last: float
    count: int


@dataclass(frozen=True)
class Artifact:
    """A file stored with a run: its name (``predictions``), the file name it was saved as, its size in bytes and
    when it was written (seconds since 1970; with the size, a cache key for readers)."""

    name: str
    file_name: str
    size: int | None       # None: the backend lists it, but its bytes are gone (a moved folder)
    modified: float | None


@dataclass(frozen=True)
class Run:
    """One run, with its JSON fields decoded; ``problems`` names each stored field that could not be."""

    id: int
    name: str
    kind: str
    status: str
    config: dict
    created: float | None
    started: float | None
    ended: float | None
    heartbeat: float | None
    pid: int | None
    error: str | None
    stop_requested: bool
    summary: dict
    tags: tuple[str, ...] = ()
    note: str = ""
    executor: str = "local"  # who starts its worker: local (a process on the launcher's machine) or ray
    node: str = ""           # where it runs: the machine's name, or the Ray node's address and id
    problems: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def where(self) -> str:
        """Where it executes, for people: the machine's name, a Ray node's address and short id, or that it waits
        in the Ray queue.

        >>> Run(1, "r", "train", "queued", {}, None, None, None, None, None, None, False, {}, executor="ray").where
        'queued in Ray'
        >>> Run(1, "r", "train", "running", {}, None, None, None, None, 7, None, False, {}, executor="ray",
        ...     node="10.0.0.5 1f61f1aa24e5b6").where
        'Ray 10.0.0.5 · 1f61f1aa'
        """
        if self.executor == "ray":
            if not self.node:
                return "queued in Ray" if self.status == "queued" else "Ray"
            address, _, node_id = self.node.partition(" ")
            return f"Ray {address} · {node_id[:8]}" if node_id else f"Ray {address}"
        return self.node

    @property
    def duration(self) -> float | None:
        """Seconds from start to end (or to the last heartbeat while running)."""
        if self.started is None:
            return None
        end = self.ended or self.heartbeat or self.started
        return max(0.0, end - self.started)


@dataclass(frozen=True)
class RunRecord:
    """A whole run to write at once (an import, a recovery): its row, and its points per key as columns."""

    name: str
    kind: str
    status: str
    config: dict
    created: float
    started: float | None = None
    ended: float | None = None
    error: str | None = None
    summary: dict = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    note: str = ""
    executor: str = "local"
    node: str = ""
    series: dict[str, Series] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)   # name -> where the file is (a backend's reference)
    id: int | None = None  # keep this id (a recovery); None: a new id (an import)

    @property
    def n_points(self) -> int:
        return sum(len(s.steps) for s in self.series.values())


def downsample(series: Series, max_points: int | None) -> Series:
    """At most ``max_points`` of a series' points for display: the first, the last, and each bucket's lowest and
    highest value between them (a spike stays visible). The stored series is never thinned.

    >>> s = Series(np.arange(6), np.zeros(6, int), np.array([0., 9., 1., 2., -5., 3.]), np.zeros(6))
    >>> downsample(s, 4).values.tolist(), len(downsample(s, None))
    ([0.0, 9.0, -5.0, 3.0], 6)
    """
    n = len(series.steps)
    if max_points is None or n <= max_points:
        return series
    if max_points < 2:
        raise input_error("max_points of 2 or more (the first and the last point)", f"{max_points}",
                          "ask for more points, or for all of them (None)")
    idx = thin(series.values, max_points)
    return Series(series.steps[idx], series.epochs[idx], series.values[idx], series.walls[idx])


def thin(values: np.ndarray, max_points: int, keep: Iterable[int] = ()) -> np.ndarray:
    """Indices of the points of ``values`` to draw: the first, the last, those in ``keep`` (a best point), and each
    bucket's lowest and highest value between them; at most ``max_points`` plus ``keep``. The one thinning of a
    series, for the store's reads and for the charts (after smoothing).

    >>> thin(np.array([0., 9., 1., 2., -5., 3.]), 4).tolist(), thin(np.array([5., 1., 3., 9., 2.]), 3).tolist()
    ([0, 1, 4, 5], [0, 2, 4])
    """
    n = len(values)
    if n <= max_points:
        return np.arange(n)
    kept = {0, n - 1, *(int(i) for i in keep)}
    inner = np.arange(1, n - 1)
    buckets = (max_points - 2) // 2
    if buckets:
        finite = np.where(np.isfinite(values), values, np.nan)
        for chunk in np.array_split(inner, buckets):
            kept.update(_extremes(chunk, finite[chunk]))
    elif max_points - 2:  # one point to spare: the middle one
        kept.add(int(inner[len(inner) // 2]))
    return np.array(sorted(kept))


def _extremes(chunk: np.ndarray, values: np.ndarray) -> set[int]:
    """The positions of a bucket's lowest and highest finite value (its first point when none is finite)."""
    if not len(chunk):
        return set()
    if not np.isfinite(values).any():
        return {int(chunk[0])}
    return {int(chunk[np.nanargmin(values)]), int(chunk[np.nanargmax(values)])}
