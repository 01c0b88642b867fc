"""`store copy`: a whole store into an empty one of any backend and back, nothing lost, ids kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from evalcore.errors import InputError
from evalcore.runs import FINISHED, LOST, RUNNING, Point, SqliteRunStore
from evalcore.runs.copy import copy_store

ROOT = Path(__file__).resolve().parents[2]


def _filled(folder: Path) -> SqliteRunStore:
    store = SqliteRunStore(folder)
    done = store.create_run("done · ü", "train", {"dataset": "digits", "dropout": {"enabled": True, "rate": 0.5}})
    store.log_points(done, [Point("epoch/loss", e, e, 1.0 / (e + 1)) for e in range(5)]
                     + [Point("epoch/val_loss", 0, 0, float("nan"))])
    store.put_artifact(done, "predictions", b"y_true,y_pred\na,a\n", "predictions.csv")
    store.put_artifact(done, "model", bytes(range(256)) * 1000, "model.keras")
    store.finish(done, FINISHED, {"accuracy": 0.9, "accuracy_interval": [0.8, 0.95]})
    store.edit(done, tags=["b", "a"], note="a note")
    store.delete_run(store.create_run("gap", "train", {}, status=FINISHED))  # ids need not be contiguous
    evaluation = store.create_run("v1", "evaluation", {"file": "p.csv"}, status=FINISHED)
    store.set_status(store.create_run("still running", "train", {}), RUNNING)
    assert evaluation == 3
    return store


def _same(a, b) -> None:
    assert [r.id for r in a.runs()] == [r.id for r in b.runs()]
    for r in a.runs():
        s = b.run(r.id)
        assert (s.name, s.kind, s.config, s.summary, s.tags, s.note, s.created) == \
            (r.name, r.kind, r.config, r.summary, r.tags, r.note, r.created)
        assert s.status == (LOST if r.status == RUNNING else r.status)
        ours, theirs = a.series(r.id), b.series(r.id)
        assert sorted(ours) == sorted(theirs)
        for key in ours:
            np.testing.assert_array_equal(ours[key].steps, theirs[key].steps)
            np.testing.assert_array_equal(ours[key].values, theirs[key].values)  # NaN stays NaN
        assert sorted(a.artifacts(r.id)) == sorted(b.artifacts(r.id))
        for name in a.artifacts(r.id):
            with a.open_artifact(r.id, name) as x, b.open_artifact(r.id, name) as y:
                assert x.read() == y.read()


def test_a_store_copied_to_every_backend_and_back_loses_nothing(store, tmp_path):
    source = _filled(tmp_path / "source")
    report = copy_store(source, store)
    assert (report.runs, report.points, report.artifacts) == (3, 6, 2)
    _same(source, store)
    assert "lost" in store.run(4).status and "still active" in (store.run(4).error or "")
    back = SqliteRunStore(tmp_path / "back")
    copy_store(store, back)
    _same(source, back)
    new = store.create_run("after the copy", "train", {})
    assert new > 4  # new runs never take a copied run's id


def test_copying_into_a_store_that_has_runs_is_refused_and_changes_nothing(store, tmp_path):
    source = _filled(tmp_path / "source")
    store.create_run("mine", "train", {})
    with pytest.raises(InputError, match="an empty target store"):
        copy_store(source, store)
    assert [r.name for r in store.runs()] == ["mine"]


def test_the_cli_copies_between_addresses_and_the_store_flag_chooses_the_store(tmp_path):
    source = _filled(tmp_path / "a")
    target = tmp_path / "b" / "copy.sqlite"
    cli = [sys.executable, "-m", "evalcore"]
    out = subprocess.run([*cli, "store", "copy", f"sqlite:///{source.path}", f"sqlite:///{target}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "copied 3 run(s), 6 point(s) and 2 artifact(s)" in out.stdout, out.stderr
    listed = subprocess.run([*cli, "--store", f"sqlite:///{target}", "runs"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert listed.returncode == 0 and "done · ü" in listed.stdout and "still running" in listed.stdout
    again = subprocess.run([*cli, "store", "copy", str(tmp_path / "a"), f"sqlite:///{target}"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "an empty target store" in again.stderr
