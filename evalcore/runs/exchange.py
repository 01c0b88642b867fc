"""Export runs (settings, summary, tags, note and every metric point) as JSON or CSV, and import the JSON back.

JSON keeps everything and imports into another store with new run ids: the whole file is checked first
(:mod:`evalcore.runs.export_format`) and written in one transaction, so a bad file changes nothing. The CSVs are for
spreadsheets (one row per run, and one row per logged point), with formula-like text neutralised.

Example:
    >>> import tempfile
    >>> a, b = open_store(tempfile.mkdtemp()), open_store(tempfile.mkdtemp())
    >>> run_id = a.create_run("r", "train", {"epochs": 1}, status="finished")
    >>> a.log_points(run_id, [Point("epoch/loss", 0, 0, 0.5)])
    >>> [new] = import_runs(b, export_json(a, [run_id]))
    >>> b.run(new).name, b.series(new)["epoch/loss"].values.tolist()
    ('r', [0.5])
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from evalcore.export import frame_to_csv
from evalcore.runs.compare import flatten
from evalcore.runs.export_format import FORMAT, VERSION, parse_export
from evalcore.runs.rows import json_safe
from evalcore.runs.backends import open_store  # noqa: F401  (the doctest)
from evalcore.runs.entities import Point  # noqa: F401  (the doctest)
from evalcore.runs.store import RunStore


def export_json(store: RunStore, run_ids: list[int]) -> str:
    """The runs as the JSON export format (NaN and infinity as null: JSON has neither)."""
    runs = []
    for run_id in run_ids:
        r = store.run(run_id)
        series = {key: {"step": s.steps.tolist(), "epoch": s.epochs.tolist(),
                        "value": [None if not np.isfinite(v) else float(v) for v in s.values],
                        "wall": s.walls.tolist()} for key, s in store.series(run_id).items()}
        runs.append(json_safe({"id": r.id, "name": r.name, "kind": r.kind, "status": r.status, "config": r.config,
                            "created": r.created, "started": r.started, "ended": r.ended, "error": r.error,
                            "summary": r.summary, "tags": list(r.tags), "note": r.note, "series": series}))
    return json.dumps({"format": FORMAT, "version": VERSION, "runs": runs}, indent=1, allow_nan=False)


def export_runs_csv(store: RunStore, run_ids: list[int]) -> str:
    """One row per run: id, name, status, times, every setting (dotted names) and every summary value."""
    rows = []
    for run_id in run_ids:
        r = store.run(run_id)
        rows.append({"id": r.id, "name": r.name, "kind": r.kind, "status": r.status, "created": r.created,
                     "started": r.started, "ended": r.ended, "tags": ", ".join(r.tags), "note": r.note,
                     **{f"config.{k}": v for k, v in flatten(r.config).items()},
                     **{f"summary.{k}": v for k, v in flatten(r.summary).items()}})
    return frame_to_csv(pd.DataFrame(rows))


def export_points_csv(store: RunStore, run_ids: list[int]) -> str:
    """Every logged point: run, key, step, epoch, value, wall time."""
    frames = []
    for run_id in run_ids:
        for key, s in store.series(run_id).items():
            frames.append(pd.DataFrame({"run": run_id, "key": key, "step": s.steps, "epoch": s.epochs,
                                        "value": s.values, "wall": s.walls}))
    columns = ["run", "key", "step", "epoch", "value", "wall"]
    return frame_to_csv(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns))


def import_runs(store: RunStore, text: str | bytes) -> list[int]:
    """Add the runs of an export to this store with new ids: all of them, or (on any problem) none.

    A run that was still active when exported is imported as lost.
    """
    return store.add_runs(parse_export(text))
