"""Export runs (settings, summary, tags, note and every metric point) as JSON or CSV, and import the JSON back.

JSON keeps everything and imports into another store with new run ids; the CSVs are for spreadsheets (one row
per run, and one row per logged point), with formula-like text neutralised.

Example:
    >>> import tempfile
    >>> a, b = RunStore(tempfile.mkdtemp()), RunStore(tempfile.mkdtemp())
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

from evalcore.errors import input_error
from evalcore.export import frame_to_csv
from evalcore.runs.compare import flatten
from evalcore.runs.store import ENDED, KINDS, LOST, Point, RunStore

FORMAT = "evalcore-runs"
VERSION = 1


def export_json(store: RunStore, run_ids: list[int]) -> str:
    runs = []
    for run_id in run_ids:
        r = store.run(run_id)
        series = {key: {"step": s.steps.tolist(), "epoch": s.epochs.tolist(),
                        "value": [None if not np.isfinite(v) else float(v) for v in s.values],
                        "wall": s.walls.tolist()} for key, s in store.series(run_id).items()}
        runs.append({"id": r.id, "name": r.name, "kind": r.kind, "status": r.status, "config": r.config,
                     "created": r.created, "started": r.started, "ended": r.ended, "error": r.error,
                     "summary": r.summary, "tags": list(r.tags), "note": r.note, "series": series})
    return json.dumps({"format": FORMAT, "version": VERSION, "runs": runs}, indent=1)


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
    """Add the runs of an export to this store (new ids); a run that was still active is imported as lost."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise input_error("a JSON export of evalcore runs", f"a file that is not JSON ({exc})",
                          "export runs from the Runs page and import that file") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("runs"), list):
        raise input_error(f"a JSON file with \"format\": \"{FORMAT}\"", "another JSON document",
                          "export runs from the Runs page and import that file")
    if data.get("version", 0) > VERSION:
        raise input_error(f"an export of version {VERSION} or older", f"version {data.get('version')}",
                          "upgrade evalcore")
    new_ids = []
    for i, run in enumerate(data["runs"], start=1):
        if not isinstance(run, dict) or run.get("kind") not in KINDS or not isinstance(run.get("config"), dict):
            raise input_error("runs with a kind and a config", f"run {i} without them", "use an unedited export")
        status = run.get("status") if run.get("status") in ENDED else LOST
        run_id = store.create_run(str(run.get("name") or f"imported run {i}"), run["kind"], run["config"],
                                  status=status)
        store.set_summary(run_id, run.get("summary") or {})
        store.set_tags(run_id, run.get("tags") or [])
        store.set_note(run_id, run.get("note") or "")
        error = run.get("error") if run.get("status") in ENDED else "Imported while it was still running."
        store.restore_times(run_id, run.get("created"), run.get("started"), run.get("ended"), error)
        points = []
        for key, s in (run.get("series") or {}).items():
            for step, epoch, value, wall in zip(s["step"], s["epoch"], s["value"], s["wall"]):
                points.append(Point(key, int(step), int(epoch), float("nan") if value is None else float(value),
                                    float(wall)))
        store.log_points(run_id, points)
        new_ids.append(run_id)
    return new_ids
