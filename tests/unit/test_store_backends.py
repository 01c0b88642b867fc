"""Choosing the store backend (open_store), the log-key vocabulary, and the supervisor of local workers."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from evalcore.errors import InputError
from evalcore.runs import LOST, QUEUED, RUNNING, SqliteRunStore, keys, open_store
from evalcore.runs.entities import Run
from evalcore.training import launch, supervisor


def test_a_folder_or_a_sqlite_address_opens_the_sqlite_store(tmp_path):
    by_folder = open_store(tmp_path / "a")
    assert isinstance(by_folder, SqliteRunStore) and by_folder.path == tmp_path / "a" / "runs.sqlite"
    by_uri = open_store(f"sqlite:///{tmp_path / 'b' / 'other.sqlite'}")
    assert isinstance(by_uri, SqliteRunStore) and by_uri.path == tmp_path / "b" / "other.sqlite"
    run_id = by_uri.create_run("r", "train", {})
    assert open_store(by_uri.uri).run(run_id).name == "r"


def test_the_default_store_is_evalcore_store_else_evalcore_home(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALCORE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVALCORE_STORE", raising=False)
    assert open_store().uri == f"sqlite:///{tmp_path / 'home' / 'runs.sqlite'}"
    monkeypatch.setenv("EVALCORE_STORE", f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    assert open_store().uri == f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"


def test_an_unknown_scheme_names_the_known_ones_and_never_repeats_the_address(monkeypatch):
    with pytest.raises(InputError, match="sqlite:///") as info:
        open_store("mysql://me:hunter2@db.example/runs")
    assert "hunter2" not in str(info.value) and "mysql://" in str(info.value) and "postgresql://" in str(info.value)
    monkeypatch.setenv("EVALCORE_STORE", "mysql://x")
    with pytest.raises(InputError, match="EVALCORE_STORE"):
        open_store()
    with pytest.raises(InputError, match="three slashes"):
        open_store("sqlite://relative.sqlite")


def test_the_embedded_default_never_imports_the_postgresql_driver(tmp_path):
    code = ("import sys, evalcore.runs; store = evalcore.runs.open_store(sys.argv[1]); store.create_run('r', 'train', {}); "
            "assert 'psycopg' not in sys.modules and 'evalcore.runs.postgresql_store' not in sys.modules")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], check=True)


def test_a_worker_opens_the_same_store_by_its_address(tmp_path):
    store = SqliteRunStore(tmp_path / "store")
    env = launch.worker_environment(store)
    assert env["EVALCORE_STORE"] == store.uri and env["EVALCORE_HOME"] == str(store.folder)
    assert launch.run_workspace(store, 7) == store.folder / "runs" / "7" and (store.folder / "runs" / "7").is_dir()


def test_every_key_the_logger_writes_parses_back():
    written = [keys.epoch_key("loss"), keys.epoch_key("accuracy", validation=True), keys.batch_key("loss"),
               keys.LEARNING_RATE, keys.STEPS_PER_EPOCH, keys.PLANNED_EPOCHS]
    assert [keys.parse(k) for k in written] == [("epoch", "loss"), ("epoch", "val_accuracy"), ("batch", "loss"),
                                                ("epoch", "lr"), ("meta", "steps_per_epoch"), ("meta", "epochs")]
    assert keys.parse("epoch/") is None and keys.parse("other/loss") is None and keys.parse("loss") is None
    assert set(keys.TABLE_KEYS) == {"epoch/loss", "epoch/val_loss", "epoch/accuracy", "epoch/val_accuracy"}
    logs = {"loss": 1.0, "accuracy": 0.5, "val_loss": 1.1, "val_accuracy": 0.4, "learning_rate": 0.1}
    assert dict(keys.logged_epoch_keys(logs)) == {"loss": "epoch/loss", "accuracy": "epoch/accuracy",
                                                  "val_loss": "epoch/val_loss", "val_accuracy": "epoch/val_accuracy"}


def _run(status: str, pid: int | None, heartbeat: float | None = None, created: float | None = None) -> Run:
    return Run(id=1, name="r", kind="train", status=status, config={}, created=created or time.time(),
               started=None, ended=None, heartbeat=heartbeat, pid=pid, error=None, stop_requested=False, summary={})


def test_the_supervisor_decides_which_workers_are_gone():
    now = time.time()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as alive:
        assert not supervisor.gone(_run(RUNNING, alive.pid, heartbeat=now), now)
        assert supervisor.gone(_run(RUNNING, alive.pid, heartbeat=now - supervisor.HEARTBEAT_STALE_S - 1), now)
        assert not supervisor.gone(_run(QUEUED, alive.pid, created=now - 3600), now)
        alive.kill()
    assert supervisor.gone(_run(RUNNING, alive.pid, heartbeat=now), now)
    assert supervisor.gone(_run(QUEUED, alive.pid), now)
    assert not supervisor.gone(_run(QUEUED, None, created=now), now)  # the launcher is about to record it
    assert supervisor.gone(_run(QUEUED, None, created=now - supervisor.QUEUED_GRACE_S - 1), now)


def test_reading_the_store_never_marks_runs_lost_the_supervisor_does(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("r", "train", {})
    store.set_status(run_id, RUNNING, pid=2**31 - 2)  # no such process
    assert store.run(run_id).status == RUNNING and store.runs()[0].status == RUNNING
    assert supervisor.reconcile(store) == [run_id] and store.run(run_id).status == LOST
    assert supervisor.reconcile(store) == []


@pytest.mark.parametrize("made", [True, False])
def test_a_folder_with_a_dot_in_its_name_is_a_folder(tmp_path, monkeypatch, made):
    """`mktemp -d` makes /tmp/tmp.aaMsA7: as EVALCORE_HOME it is the folder of runs.sqlite, not a file."""
    folder = tmp_path / "tmp.aaMsA7"
    if made:
        folder.mkdir()
    monkeypatch.setenv("EVALCORE_HOME", str(folder))
    monkeypatch.delenv("EVALCORE_STORE", raising=False)
    store = open_store()
    assert isinstance(store, SqliteRunStore) and store.path == folder / "runs.sqlite"
    store.create_run("r", "train", {})
    assert open_store(f"sqlite:///{folder}").path == folder / "runs.sqlite"  # an existing folder, by address too
