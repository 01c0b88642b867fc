"""The worker process: stop within a batch, SIGKILL shows lost, a crash shows failed, two runs at once."""

from __future__ import annotations

import os
import signal
import time

import pytest

from evalcore.runs import FAILED, FINISHED, LOST, STOPPED, SqliteRunStore
from evalcore.training import launch
from evalcore.training.supervisor import reconcile
from evalcore.training.config import TrainConfig
from tests.waiting import wait_for


def _epochs(store: SqliteRunStore, run_id: int) -> int:
    s = store.series(run_id, ["epoch/loss"]).get("epoch/loss")
    return 0 if s is None else len(s.values)


def _supervised(store: SqliteRunStore, run_id: int):
    """The run as the pages and the CLI show it: after the supervisor has looked at the workers."""
    reconcile(store)
    return store.run(run_id)


LONG = TrainConfig(dataset="mnist", epochs=200, train_size=1500, batch_log_seconds=0)


def test_stop_ends_the_run_after_the_current_batch_and_keeps_every_point(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = launch.start(LONG, store)
    wait_for(lambda: _epochs(store, run_id) >= 1, 90, "the first epoch")
    asked = time.time()
    launch.stop(run_id, store)
    run = wait_for(lambda: (r := store.run(run_id)).status == STOPPED and r, 60, "the stopped status")
    batches = store.series(run_id, ["batch/loss"])["batch/loss"]
    assert (batches.walls > asked).sum() <= 2  # at most the batch that was running, plus one
    assert 1 <= _epochs(store, run_id) < 200 and run.summary["epochs_done"] >= 1
    assert "predictions" in store.artifacts(run_id)  # the stopped model was still evaluated


def test_a_killed_worker_shows_lost_keeps_its_epochs_and_the_next_run_works(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = launch.start(LONG, store)
    wait_for(lambda: _epochs(store, run_id) >= 1, 90, "the first epoch")
    os.killpg(store.run(run_id).pid, signal.SIGKILL)
    run = wait_for(lambda: (r := _supervised(store, run_id)).status == LOST and r, 20, "the lost status")
    assert "killed or crashed" in run.error and _epochs(store, run_id) >= 1
    with store.connection() as con:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    again = launch.start(TrainConfig(dataset="iris", epochs=2), store)
    assert wait_for(lambda: store.run(again).status in (FINISHED, FAILED) and store.run(again), 90,
                 "the next run").status == FINISHED


def test_a_crash_in_the_worker_shows_failed_with_the_reason(tmp_path):
    store = SqliteRunStore(tmp_path)
    data = tmp_path / "data.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(40)))
    run_id = launch.start(TrainConfig(dataset="csv", csv_path=str(data), epochs=1), store)
    (tmp_path / "runs" / str(run_id) / "training.csv").unlink()  # its stored copy, gone before the worker reads it
    run = wait_for(lambda: (r := store.run(run_id)).status in (FAILED, FINISHED) and r, 90, "the end of the run")
    assert run.status == FAILED and "training_csv" in run.error


def test_a_run_trains_from_the_copy_of_its_csv_in_the_store_even_when_the_upload_is_gone(tmp_path):
    store = SqliteRunStore(tmp_path / "store")
    data = tmp_path / "upload.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(40)))
    run_id = launch.start(TrainConfig(dataset="csv", csv_path=str(data), epochs=1), store)
    data.unlink()  # a worker on another machine never had this path
    run = wait_for(lambda: (r := store.run(run_id)).status in (FAILED, FINISHED) and r, 90, "the end of the run")
    assert run.status == FINISHED, run.error
    assert run.summary["train_rows"] + run.summary["test_rows"] < 40
    again = launch.retry(store, run_id)  # a retry takes the stored copy along
    assert store.open_artifact(again, launch.TRAINING_CSV).read() == store.open_artifact(run_id,
                                                                                        launch.TRAINING_CSV).read()
    assert wait_for(lambda: (r := store.run(again)).status in (FAILED, FINISHED) and r, 90,
                    "the retry").status == FINISHED


def test_two_runs_at_once_both_finish_with_their_own_points(tmp_path):
    store = SqliteRunStore(tmp_path)
    ids = [launch.start(TrainConfig(dataset=name, epochs=3), store) for name in ("iris", "wine")]
    for run_id in ids:
        assert wait_for(lambda: store.run(run_id).status in (FINISHED, FAILED) and store.run(run_id), 120,
                     "both runs").status == FINISHED
        assert _epochs(store, run_id) == 3
    assert store.run(ids[0]).summary["test_rows"] == 30 and store.run(ids[1]).summary["test_rows"] == 36


@pytest.fixture(autouse=True)
def _no_leftover_workers(tmp_path):
    yield
    for run in SqliteRunStore(tmp_path).runs():
        if run.pid and run.active:
            try:
                os.killpg(run.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_the_run_outlives_the_server_that_started_it(tmp_path):
    """The Streamlit server stopping (Ctrl-C or SIGTERM to its process group) does not stop a run."""
    import subprocess
    import sys
    code = ("import sys, time; from evalcore.runs import SqliteRunStore; from evalcore.training import launch; "
            "from evalcore.training.config import TrainConfig; "
            f"print(launch.start(TrainConfig(dataset='wine', epochs=4), SqliteRunStore({str(tmp_path)!r})), flush=True); "
            "time.sleep(60)")
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              start_new_session=True, cwd=launch.ROOT)
    run_id = int(server.stdout.readline())
    os.killpg(server.pid, signal.SIGTERM)  # the "server" and everything in its process group
    server.wait(10)
    store = SqliteRunStore(tmp_path)
    run = wait_for(lambda: (r := store.run(run_id)).status in (FINISHED, FAILED, LOST) and r, 90, "the run's end")
    assert run.status == FINISHED and _epochs(store, run_id) == 4


def test_a_standby_worker_takes_the_next_run_and_a_new_one_is_started_for_the_one_after(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALCORE_STANDBY", "1")
    store = SqliteRunStore(tmp_path)
    launch.prewarm(store)
    wait_for(lambda: launch.standby_ready(store), 90, "the standby worker's TensorFlow import")
    (standby, _), = launch._standbys.values()
    run_id = launch.start(TrainConfig(dataset="iris", epochs=2), store)
    assert store.run(run_id).pid == standby.pid  # the waiting worker took it: no new process, no new import
    run = wait_for(lambda: (r := store.run(run_id)).status in (FINISHED, FAILED) and r, 90, "the run's end")
    assert run.status == FINISHED
    assert (launch.run_workspace(store, run_id) / "worker.log").exists()  # its output went to the run's log
    assert not launch.standby_ready(store)  # used up; the Train page starts the next one
    launch.prewarm(store)
    (following, _), = launch._standbys.values()
    assert following.pid != standby.pid
    following.stdin.close()  # its launcher went away: it ends without training anything
    assert following.wait(timeout=90) == 0


def test_without_a_standby_a_run_starts_its_own_worker(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALCORE_STANDBY", "0")
    store = SqliteRunStore(tmp_path)
    launch.prewarm(store)
    assert not launch.standby_ready(store)
    run_id = launch.start(TrainConfig(dataset="iris", epochs=1), store)
    run = wait_for(lambda: (r := store.run(run_id)).status in (FINISHED, FAILED) and r, 90, "the run's end")
    assert run.status == FINISHED and run.pid != os.getpid()
