"""Importing a JSON export: the whole file is checked against the declared format before anything is written,
every problem is an InputError naming the run, the field and the fix, and a refused file changes nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time

import numpy as np
import pytest

from evalcore import limits
from evalcore.errors import InputError
from evalcore.runs import FINISHED, LOST, Point, SqliteRunStore
from evalcore.runs.exchange import export_json, import_runs
from evalcore.training.config import Dropout, TrainConfig


def _export(tmp_path) -> dict:
    source = SqliteRunStore(tmp_path / "source")
    for name in ("first", "second"):
        run_id = source.create_run(name, "train", TrainConfig(dataset="wine", dropout=Dropout(enabled=True))
                                   .to_dict())
        source.log_points(run_id, [Point(f"epoch/{k}", e, e, 0.5 + e / 10) for e in range(3)
                                   for k in ("loss", "val_loss")])
        source.set_summary(run_id, {"test_accuracy": 0.9, "classes": ["a", "b"]})
        source.set_status(run_id, FINISHED)
    return json.loads(export_json(source, sorted(r.id for r in source.runs())))


def _snapshot(store: SqliteRunStore) -> list:
    with store.connection() as con:
        return [con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("runs", "points", "artifacts")]


POISON = {  # field edits of the second run, each of which imported cleanly before, or left half a run behind
    "created 1e308": ("created", 1e308, "created"),
    "created yesterday": ("created", "yesterday", "created"),
    "created Infinity": ("created", float("inf"), "created"),
    "dropout 5": ("config", {"dropout": 5}, "dropout"),
    "dropout rate 5": ("config", {"dropout": {"enabled": True, "rate": 5}}, "dropout rate"),
    "summary a list": ("summary", [1, 2], "summary"),
    "series a list": ("series", [1, 2], "series"),
    "kind unknown": ("kind", "notebook", "kind"),
    "tags not text": ("tags", [{"a": 1}], "tags"),
    "name 10 MB": ("name", "x" * 10_000_000, "name"),
    "note too long": ("note", "n" * (limits.RUN_NOTE_CHARS + 1), "note"),
    "too many tags": ("tags", [f"t{i}" for i in range(limits.RUN_TAGS + 1)], "tags"),
    "a number no float holds": ("summary", {"test_accuracy": 10**400}, "summary.test_accuracy"),
}


@pytest.mark.parametrize("case", sorted(POISON))
def test_a_poisoned_run_is_refused_naming_run_and_field_and_the_store_is_unchanged(tmp_path, case):
    field, value, named = POISON[case]
    doc = _export(tmp_path)
    doc["runs"][1][field] = value
    store = SqliteRunStore(tmp_path / "target")
    store.create_run("already here", "train", {})
    before = _snapshot(store)
    with pytest.raises(InputError) as err:
        import_runs(store, json.dumps(doc))
    message = str(err.value)
    assert "run 2 ('second')" in message or "run 2 ('xxx" in message, message
    assert named in message and "Fix:" in message, message
    assert len(message) < 600, message  # a 10 MB name is not pasted back
    assert _snapshot(store) == before
    assert [r.name for r in store.runs()] == ["already here"]


SERIES_POISON = {
    "series without step": (lambda s: s.pop("step"), "step"),
    "a step of 10**30": (lambda s: s["step"].__setitem__(1, 10**30), "step"),
    "a negative step": (lambda s: s["step"].__setitem__(1, -1), "step"),
    "a fractional epoch": (lambda s: s["epoch"].__setitem__(0, 0.5), "epoch"),
    "a value of 'abc'": (lambda s: s["value"].__setitem__(2, "abc"), "value"),
    "a value of true": (lambda s: s["value"].__setitem__(2, True), "value"),
    "a wall of Infinity": (lambda s: s["wall"].__setitem__(0, float("inf")), "wall"),
    "a value no float holds": (lambda s: s["value"].__setitem__(0, 10**400), "value"),
    "lists of different lengths": (lambda s: s["value"].append(1.0), "same length"),
}


@pytest.mark.parametrize("case", sorted(SERIES_POISON))
def test_a_bad_point_is_refused_naming_the_series_field_and_point(tmp_path, case):
    edit, named = SERIES_POISON[case]
    doc = _export(tmp_path)
    edit(doc["runs"][1]["series"]["epoch/loss"])
    store = SqliteRunStore(tmp_path / "target")
    with pytest.raises(InputError) as err:
        import_runs(store, json.dumps(doc))
    message = str(err.value)
    assert "run 2 ('second')" in message and "epoch/loss" in message and named in message, message
    assert store.runs() == []  # the first run of the file is not left behind either


@pytest.mark.parametrize("version", ["2", 2, 0, None])
def test_an_unknown_version_is_refused(tmp_path, version):
    doc = _export(tmp_path)
    doc["version"] = version
    store = SqliteRunStore(tmp_path / "target")
    with pytest.raises(InputError, match="version"):
        import_runs(store, json.dumps(doc))
    assert store.runs() == []


def test_a_valid_file_imports_every_run_and_point_and_active_runs_as_lost(tmp_path):
    doc = _export(tmp_path)
    doc["runs"][0]["status"] = "running"
    doc["runs"][1]["summary"]["odd"] = None
    store = SqliteRunStore(tmp_path / "target")
    ids = import_runs(store, json.dumps(doc))
    first, second = store.run(ids[0]), store.run(ids[1])
    assert first.status == LOST and "still running" in first.error
    assert second.status == FINISHED and second.summary["accuracy"] == 0.9 and not second.problems
    assert store.series(ids[1])["epoch/val_loss"].values.tolist() == [0.5, 0.6, 0.7]


def test_the_point_cap_is_checked_before_any_point_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "IMPORT_POINTS", 10)
    doc = _export(tmp_path)  # 2 runs x 2 series x 3 points = 12 points
    with pytest.raises(InputError, match="at most 10 points"):
        import_runs(SqliteRunStore(tmp_path / "target"), json.dumps(doc))


def test_two_million_points_import(tmp_path):
    n = 1_000_000
    steps = list(range(n))
    run = {"name": "big", "kind": "train", "status": "finished", "config": TrainConfig().to_dict(),
           "created": time.time(), "series": {k: {"step": steps, "epoch": [0] * n,
                                                  "value": np.linspace(0, 1, n).tolist(), "wall": [1.7e9] * n}
                                              for k in ("batch/loss", "batch/accuracy")}}
    text = json.dumps({"format": "evalcore-runs", "version": 1, "runs": [run]})
    store = SqliteRunStore(tmp_path / "target")
    started = time.perf_counter()
    [run_id] = import_runs(store, text)
    seconds = time.perf_counter() - started
    assert len(store.series(run_id)["batch/loss"].steps) == n
    print(f"2,000,000 points imported in {seconds:.1f} s (timed in bench/runs_speed.py)")


IMPORTER = """
import sys
from evalcore.runs import SqliteRunStore
from evalcore.runs.exchange import import_runs
store = SqliteRunStore(sys.argv[1])
print("importing", flush=True)
import_runs(store, open(sys.argv[2]).read())
print("done", flush=True)
"""


def test_an_import_killed_midway_leaves_nothing(tmp_path):
    n = 400_000
    run = {"name": "big", "kind": "train", "status": "finished", "config": {}, "created": 1.7e9,
           "series": {"batch/loss": {"step": list(range(n)), "epoch": [0] * n, "value": [0.5] * n,
                                     "wall": [1.7e9] * n}}}
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "evalcore-runs", "version": 1,
                                "runs": [copy.deepcopy(run) for _ in range(4)]}))
    store = SqliteRunStore(tmp_path / "target")
    wal = store.path.with_name(store.path.name + "-wal")
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(store.folder), str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "importing"
    deadline = time.time() + 60
    while time.time() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.01)  # the transaction is under way once the write-ahead log grows
    proc.kill()
    proc.wait()
    assert wal.stat().st_size >= 2_000_000, "the import finished before it could be killed"
    assert store.runs() == []
    with store.connection() as con:
        assert con.execute("SELECT COUNT(*) FROM points").fetchone()[0] == 0
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
