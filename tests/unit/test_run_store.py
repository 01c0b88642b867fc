"""The run store: schema and pragmas, migrations, concurrent writers and readers, lost workers."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from evalcore.errors import InputError
from evalcore.runs import FINISHED, LOST, QUEUED, RUNNING, Point, SqliteRunStore
from evalcore.runs.sqlite_store import SCHEMA_VERSION
from evalcore.training.supervisor import reconcile


def test_pragmas_and_schema_version(tmp_path):
    store = SqliteRunStore(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    with store.connection() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert con.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrates_an_empty_file_and_refuses_a_newer_one(tmp_path):
    sqlite3.connect(tmp_path / "runs.sqlite").close()  # version 0: no tables
    store = SqliteRunStore(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    store.create_run("a", "train", {})
    SqliteRunStore(tmp_path)  # opening again migrates nothing and keeps the run
    assert [r.name for r in store.runs()] == ["a"]
    with sqlite3.connect(tmp_path / "runs.sqlite") as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match="schema version"):
        SqliteRunStore(tmp_path)


def test_status_points_nan_and_stop_flag(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("r", "train", {"epochs": 3})
    assert store.run(run_id).status == QUEUED and not store.stop_requested(run_id)
    store.set_status(run_id, RUNNING, pid=None)
    store.log_points(run_id, [Point("epoch/loss", e, e, v) for e, v in enumerate([0.9, np.nan, 0.5])])
    store.request_stop(run_id)
    assert store.stop_requested(run_id)
    s = store.series(run_id)["epoch/loss"]
    assert s.steps.tolist() == [0, 1, 2] and np.isnan(s.values[1]) and s.values[2] == 0.5
    store.set_status(store.create_run("done", "train", {}), FINISHED)


def _writer(folder, n_points, barrier):
    store = SqliteRunStore(folder)
    run_id = store.create_run(f"writer {n_points}", "train", {})
    barrier.wait()
    for start in range(0, n_points, 10):  # the worker's calls: one kept connection per thread
        store.log_points(run_id, [Point("batch/loss", s, 0, s / n_points) for s in range(start, start + 10)])
        store.heartbeat(run_id)


def test_concurrent_writers_and_readers_lose_nothing(tmp_path):
    SqliteRunStore(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    writers = [ctx.Process(target=_writer, args=(str(tmp_path), 400, barrier)) for _ in range(4)]
    for w in writers:
        w.start()
    reads, errors = [0], []

    def reader():
        store = SqliteRunStore(tmp_path)
        while any(w.is_alive() for w in writers):
            try:
                for run in store.runs():
                    store.series(run.id)
                reads[0] += 1
            except Exception as exc:  # a reader must never see an error while writers commit
                errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    for w in writers:
        w.join(60)
        assert w.exitcode == 0
    t.join()
    assert not errors and reads[0] > 0
    store = SqliteRunStore(tmp_path)
    runs = store.runs()
    assert len(runs) == 4
    for run in runs:
        s = store.series(run.id)["batch/loss"]
        assert s.steps.tolist() == list(range(400))
    with store.connection() as con:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_a_killed_worker_shows_lost_and_keeps_its_points(tmp_path):
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("killed", "train", {})
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    store.set_status(run_id, RUNNING, pid=proc.pid)
    store.log_points(run_id, [Point("epoch/loss", 0, 0, 0.4)])
    assert reconcile(store) == [] and store.run(run_id).status == RUNNING
    proc.kill()
    time.sleep(0.2)  # not reaped yet: a zombie still answers kill(pid, 0)
    assert store.run(run_id).status == RUNNING  # reading the store never writes: the supervisor decides
    assert reconcile(store) == [run_id]
    run = store.run(run_id)
    proc.wait()
    assert run.status == LOST and "ended without reporting" in run.error
    assert store.series(run_id)["epoch/loss"].values.tolist() == [0.4]


def test_a_queued_run_without_a_worker_is_lost_after_the_grace_period(tmp_path, monkeypatch):
    from evalcore.training import supervisor
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("never started", "train", {})
    reconcile(store)
    assert store.run(run_id).status == QUEUED
    monkeypatch.setattr(supervisor, "QUEUED_GRACE_S", -1.0)
    reconcile(store)
    assert store.run(run_id).status == LOST


def test_a_run_on_another_machine_or_ray_node_is_judged_by_its_heartbeat_not_by_a_pid_here(tmp_path, monkeypatch):
    from evalcore.training import supervisor
    store = SqliteRunStore(tmp_path)
    elsewhere = store.create_run("other machine", "train", {})
    store.set_pid(elsewhere, 999_999_999, "another-machine")  # no such pid here: it says nothing about that machine
    store.set_status(elsewhere, RUNNING)
    in_ray = store.create_run("waiting in Ray", "train", {}, executor="ray")
    monkeypatch.setattr(supervisor, "QUEUED_GRACE_S", -1.0)
    assert reconcile(store) == []  # a live heartbeat; a Ray run may wait for room as long as the cluster needs
    assert [store.run(i).status for i in (elsewhere, in_ray)] == [RUNNING, QUEUED]
    monkeypatch.setattr(supervisor, "HEARTBEAT_STALE_S", -1.0)
    assert reconcile(store) == [elsewhere]
    assert store.run(in_ray).status == QUEUED


def test_a_local_worker_of_this_machine_is_still_judged_by_its_process(tmp_path):
    from evalcore.training.supervisor import this_machine
    store = SqliteRunStore(tmp_path)
    run_id = store.create_run("here", "train", {})
    store.set_pid(run_id, 999_999_999, this_machine())
    store.set_status(run_id, RUNNING)
    assert reconcile(store) == [run_id]


WRITER = """
import sys, time
from evalcore.runs import Point, SqliteRunStore
store = SqliteRunStore(sys.argv[1])
run_id = store.create_run("writer", "train", {})
for batch in range(5):  # five committed batches of 100 points
    store.log_points(run_id, [Point("batch/loss", batch * 100 + i, 0, 0.5) for i in range(100)])
with store.connection() as con:
    con.execute("BEGIN IMMEDIATE")
    con.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, 'batch/loss', ?, 0, 1.0, 0)",
                    [(run_id, 10_000 + i) for i in range(5000)])
    print("in transaction", flush=True)
    time.sleep(60)  # killed here, before COMMIT
"""


def test_a_writer_killed_mid_transaction_leaves_the_store_readable_with_every_committed_point(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "in transaction"
    proc.kill()
    proc.wait()
    store = SqliteRunStore(tmp_path)
    with store.connection() as con:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    run = store.runs()[0]
    steps = store.series(run.id)["batch/loss"].steps
    assert steps.tolist() == list(range(500))  # every committed point, none of the uncommitted ones
    store.log_points(run.id, [Point("batch/loss", 500, 0, 0.1)])  # and the store takes writes again
    assert len(store.series(run.id)["batch/loss"].steps) == 501
