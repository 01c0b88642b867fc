"""The run store's contract: every backend in ``tests/contract/conftest.py BACKENDS`` must pass every test here.

Only the :class:`evalcore.runs.RunStore` interface is used (and :func:`open_store` with the store's own address),
so a new backend is checked by adding its entry to ``BACKENDS``.
"""

from __future__ import annotations

import io
import threading
import time

import numpy as np
import pytest

from evalcore.errors import InputError, StoreError
from evalcore.runs import (
    FAILED,
    FINISHED,
    LOST,
    QUEUED,
    RUNNING,
    STOPPED,
    Point,
    RunRecord,
    RunStore,
    Series,
    open_store,
)
from evalcore.runs.statuses import ACTIVE


def _points(key: str, values, epoch_of=lambda step: step) -> list[Point]:
    return [Point(key, step, epoch_of(step), float(v), 1.7e9 + step) for step, v in enumerate(values)]


# ---------------------------------------------------------------- opening


def test_implements_the_protocol_and_its_address_opens_the_same_store(store):
    assert isinstance(store, RunStore)
    run_id = store.create_run("seen from elsewhere", "train", {"epochs": 2})
    other = open_store(store.uri)
    assert other.uri == store.uri and other.run(run_id).name == "seen from elsewhere"


# ---------------------------------------------------------------- runs


def test_create_and_read_a_run(store):
    before = time.time()
    run_id = store.create_run("first", "train", {"epochs": 3, "dropout": {"enabled": True, "rate": 0.5}})
    run = store.run(run_id)
    assert (run.id, run.name, run.kind, run.status) == (run_id, "first", "train", QUEUED)
    assert run.config == {"epochs": 3, "dropout": {"enabled": True, "rate": 0.5}}
    assert before - 1 <= run.created <= time.time() + 1
    assert run.started is None and run.ended is None and run.summary == {} and not run.stop_requested
    assert run.tags == () and run.note == "" and run.problems == ()
    evaluation = store.create_run("saved", "evaluation", {}, status=FINISHED)
    assert store.run(evaluation).status == FINISHED and evaluation != run_id


def test_runs_are_listed_newest_first_by_kind_and_status(store):
    a = store.create_run("a", "train", {})
    b = store.create_run("b", "evaluation", {}, status=FINISHED)
    c = store.create_run("c", "train", {})
    store.set_status(c, RUNNING)
    assert [r.id for r in store.runs()] == [c, b, a]
    assert [r.id for r in store.runs(kind="train")] == [c, a]
    assert [r.id for r in store.runs(statuses=ACTIVE)] == [c, a]
    assert [r.id for r in store.runs(kind="train", statuses=(RUNNING,))] == [c]
    assert store.runs(statuses=(LOST,)) == []


def test_unknown_kind_and_unknown_run_are_input_errors(store):
    with pytest.raises(InputError, match="run kind"):
        store.create_run("x", "notebook", {})
    with pytest.raises(InputError, match="existing run"):
        store.run(12345)


def test_names_lose_control_characters_and_settings_lose_nan(store):
    run_id = store.create_run("  my\x1b[31m run\nnext\x00 ", "train", {"lr": float("nan"), "x": [1.0, float("inf")]})
    run = store.run(run_id)
    assert run.name == "my[31m run next"
    assert run.config == {"lr": None, "x": [1.0, None]}


# ---------------------------------------------------------------- statuses


def test_status_running_then_failed_records_times_pid_and_error(store):
    run_id = store.create_run("r", "train", {})
    store.set_status(run_id, RUNNING, pid=4321)
    run = store.run(run_id)
    assert run.status == RUNNING and run.pid == 4321 and run.started is not None and run.heartbeat is not None
    assert run.active and run.ended is None
    store.set_status(run_id, FAILED, error="x" * 100_000)
    run = store.run(run_id)
    assert run.status == FAILED and not run.active and run.ended >= run.started
    assert run.error.startswith("xxx") and len(run.error) < 100_000  # capped


def test_set_pid_keeps_the_status(store):
    run_id = store.create_run("r", "train", {})
    store.set_status(run_id, RUNNING)
    store.set_pid(run_id, 999)
    assert (store.run(run_id).status, store.run(run_id).pid) == (RUNNING, 999)


def test_a_run_says_which_executor_starts_it_and_the_node_it_runs_on(store):
    local, remote = store.create_run("l", "train", {}), store.create_run("r", "train", {}, executor="ray")
    assert (store.run(local).executor, store.run(local).node) == ("local", "")
    assert (store.run(remote).executor, store.run(remote).status) == ("ray", QUEUED)
    store.set_pid(remote, 77, "10.0.0.5 3f2a")
    store.set_status(remote, RUNNING, pid=78)  # the worker's own pid: the node stays
    run = store.run(remote)
    assert (run.pid, run.node, run.executor) == (78, "10.0.0.5 3f2a", "ray")
    store.set_pid(remote, 79)
    assert store.run(remote).node == "10.0.0.5 3f2a"


def test_finish_sets_summary_and_status_together(store):
    run_id = store.create_run("r", "train", {})
    store.set_status(run_id, RUNNING)
    store.finish(run_id, STOPPED, {"accuracy": 0.9, "interval": [float("nan"), 0.95]})
    run = store.run(run_id)
    assert run.status == STOPPED and run.ended is not None
    assert run.summary == {"accuracy": 0.9, "interval": [None, 0.95]}
    with pytest.raises(InputError, match="final status"):
        store.finish(run_id, RUNNING, {})


def test_mark_lost_ends_only_active_runs_at_their_last_heartbeat(store):
    running, queued, done = (store.create_run(n, "train", {}) for n in ("running", "queued", "done"))
    store.set_status(running, RUNNING)
    beat = store.run(running).heartbeat
    store.finish(done, FINISHED, {})
    assert sorted(store.mark_lost([running, queued, done], "gone")) == sorted([running, queued])
    lost = store.run(running)
    assert lost.status == LOST and lost.error == "gone" and lost.ended == pytest.approx(beat)
    assert store.run(queued).status == LOST and store.run(queued).ended is not None
    assert store.run(done).status == FINISHED and store.run(done).error is None
    assert store.mark_lost([], "gone") == [] and store.mark_lost([running], "again") == []
    assert store.run(running).error == "gone"


# ---------------------------------------------------------------- points


def test_a_batch_of_points_reads_back_per_key_in_step_order(store):
    run_id = store.create_run("r", "train", {})
    store.log_points(run_id, list(reversed(_points("epoch/loss", [0.9, 0.7, 0.5]))) + _points("epoch/lr", [1e-3]))
    store.log_points(run_id, [])  # an empty batch changes nothing
    series = store.series(run_id)
    assert set(series) == {"epoch/loss", "epoch/lr"}
    loss = series["epoch/loss"]
    assert loss.steps.tolist() == [0, 1, 2] and loss.epochs.tolist() == [0, 1, 2]
    assert loss.values.tolist() == [0.9, 0.7, 0.5] and loss.walls.tolist() == [1.7e9, 1.7e9 + 1, 1.7e9 + 2]
    assert list(store.series(run_id, ["epoch/lr"])) == ["epoch/lr"]
    assert store.series(run_id, ["nothing/here"]) == {}
    assert store.series(store.create_run("empty", "train", {})) == {}


def test_nan_and_infinity_are_stored_as_null_and_read_as_nan(store):
    run_id = store.create_run("r", "train", {})
    store.log_points(run_id, _points("batch/loss", [0.5, float("nan"), float("inf"), 0.25]))
    values = store.series(run_id)["batch/loss"].values
    assert values[0] == 0.5 and np.isnan(values[1]) and np.isnan(values[2]) and values[3] == 0.25


def test_a_large_batch_is_written_whole(store):
    run_id = store.create_run("r", "train", {})
    store.log_points(run_id, _points("batch/loss", np.linspace(1, 0, 20_000), epoch_of=lambda s: s // 1000))
    s = store.series(run_id)["batch/loss"]
    assert len(s) == 20_000 and s.steps.tolist() == list(range(20_000)) and s.epochs[-1] == 19


def test_series_downsampled_keeps_first_last_and_spikes(store):
    run_id = store.create_run("r", "train", {})
    values = np.full(1000, 0.5)
    values[437], values[812] = 9.0, -3.0  # spikes
    store.log_points(run_id, _points("batch/loss", values) + _points("epoch/loss", [0.4, 0.3]))
    thin = store.series(run_id, max_points=50)
    s = thin["batch/loss"]
    assert 2 <= len(s) <= 50 and s.steps[0] == 0 and s.steps[-1] == 999
    assert np.all(np.diff(s.steps) > 0) and {437, 812} <= set(s.steps.tolist())
    assert set(s.values.tolist()) <= {0.5, 9.0, -3.0}
    assert thin["epoch/loss"].values.tolist() == [0.4, 0.3]  # short series are whole
    assert len(store.series(run_id)["batch/loss"]) == 1000  # the store keeps every point
    with pytest.raises(InputError, match="max_points"):
        store.series(run_id, max_points=1)


def test_series_summaries_of_every_run_in_one_read(store):
    a, b = store.create_run("a", "train", {}), store.create_run("b", "train", {})
    store.log_points(a, _points("epoch/val_loss", [0.9, 0.4, 0.6]) + _points("epoch/loss", [1.0]))
    store.log_points(b, _points("epoch/val_loss", [0.8, float("nan")]))
    summaries = store.series_summaries(["epoch/val_loss"])
    assert set(summaries) == {(a, "epoch/val_loss"), (b, "epoch/val_loss")}
    s = summaries[(a, "epoch/val_loss")]
    assert (s.low, s.high, s.last, s.count) == (0.4, 0.9, 0.6, 3)
    assert summaries[(b, "epoch/val_loss")].count == 2 and np.isnan(summaries[(b, "epoch/val_loss")].last)
    assert store.series_summaries([]) == {}


def test_a_writer_and_readers_at_once_lose_nothing(store):
    run_id = store.create_run("r", "train", {})
    errors: list[BaseException] = []
    done = threading.Event()

    def read(reader: RunStore) -> None:
        while not done.is_set():
            try:
                s = reader.series(run_id).get("batch/loss")
                assert s is None or s.steps.tolist() == list(range(len(s)))  # whole batches, in order
                reader.runs()
            except BaseException as exc:  # a reader must never see an error while the writer commits
                errors.append(exc)
                return

    readers = [threading.Thread(target=read, args=(r,)) for r in (store, open_store(store.uri))]
    for t in readers:
        t.start()
    for start in range(0, 2000, 50):
        store.log_points(run_id, [Point("batch/loss", s, 0, s / 2000) for s in range(start, start + 50)])
        store.heartbeat(run_id)
        assert not store.stop_requested(run_id)
    done.set()
    for t in readers:
        t.join(30)
    assert not errors and store.series(run_id)["batch/loss"].steps.tolist() == list(range(2000))


# ---------------------------------------------------------------- artifacts


def test_artifacts_as_bytes_and_streams(store):
    run_id = store.create_run("r", "train", {})
    store.put_artifact(run_id, "report", b'{"a": 1}', "report.json")
    store.put_artifact(run_id, "model", io.BytesIO(b"\x00\x01" * 100_000), "model.keras")
    listed = store.artifacts(run_id)
    assert set(listed) == {"report", "model"}
    assert listed["report"].file_name == "report.json" and listed["report"].size == 8
    assert listed["model"].size == 200_000 and listed["model"].modified is not None
    with store.open_artifact(run_id, "model") as f:
        assert f.read() == b"\x00\x01" * 100_000
    store.put_artifact(run_id, "report", b"{}", "report.json")  # replaced
    with store.open_artifact(run_id, "report") as f:
        assert f.read() == b"{}"
    assert store.artifacts(store.create_run("other", "train", {})) == {}


def test_artifact_errors_are_input_errors(store):
    run_id = store.create_run("r", "train", {})
    with pytest.raises(InputError):
        store.open_artifact(run_id, "predictions")
    for bad in ("../escape.csv", "a/b.csv", ".."):
        with pytest.raises(InputError, match="file name"):
            store.put_artifact(run_id, "predictions", b"x", bad)
    assert store.artifacts(run_id) == {}


# ---------------------------------------------------------------- control


def test_stop_flag_and_heartbeat(store):
    run_id, other = store.create_run("r", "train", {}), store.create_run("o", "train", {})
    store.set_status(run_id, RUNNING)
    assert not store.stop_requested(run_id)
    store.request_stop(run_id)
    assert store.stop_requested(run_id) and store.run(run_id).stop_requested and not store.stop_requested(other)
    first = store.run(run_id).heartbeat
    time.sleep(0.02)
    store.heartbeat(run_id)
    assert store.run(run_id).heartbeat > first


# ---------------------------------------------------------------- the user's changes


def test_edit_changes_only_what_is_given_and_cleans_it(store):
    run_id = store.create_run("old", "train", {})
    store.edit(run_id, name=" new\x1b name ", tags=[" b ", "a", "", "a", "x\ny"])
    run = store.run(run_id)
    assert run.name == "new name" and run.tags == ("a", "b", "x y") and run.note == ""
    store.edit(run_id, note="line one\nline two")
    run = store.run(run_id)
    assert run.note == "line one\nline two" and run.name == "new name" and run.tags == ("a", "b", "x y")
    with pytest.raises(InputError, match="name"):
        store.edit(run_id, name=" \x1b ")
    assert store.run(run_id).name == "new name"


def test_delete_removes_one_ended_run_with_its_points_and_artifacts(store):
    keep, gone = store.create_run("keep", "train", {}), store.create_run("gone", "train", {})
    for run_id in (keep, gone):
        store.log_points(run_id, _points("epoch/loss", [0.5]))
        store.put_artifact(run_id, "report", b"{}", "report.json")
    with pytest.raises(InputError, match="stop it first"):
        store.delete_run(gone)  # still queued
    store.finish(gone, FINISHED, {})
    store.delete_run(gone)
    assert [r.id for r in store.runs()] == [keep]
    assert store.series(gone) == {} and store.artifacts(gone) == {}
    assert store.series(keep)["epoch/loss"].values.tolist() == [0.5] and "report" in store.artifacts(keep)
    with pytest.raises(InputError):
        store.run(gone)


# ---------------------------------------------------------------- imports


def _record(name: str, run_id: int | None = None) -> RunRecord:
    steps = np.arange(3)
    return RunRecord(name=name, kind="train", status=FINISHED, config={"epochs": 3}, created=1.7e9, started=1.7e9,
                     ended=1.7e9 + 5, summary={"accuracy": 0.8}, tags=("b", "a"), note="n",
                     series={"epoch/loss": Series(steps, steps, np.array([0.9, np.nan, 0.5]), steps + 1.7e9)},
                     id=run_id)


def test_add_runs_writes_whole_runs(store):
    existing = store.create_run("existing", "train", {})
    ids = store.add_runs([_record("one"), _record("two")])
    assert len(set(ids)) == 2 and existing not in ids
    run = store.run(ids[0])
    assert (run.name, run.status, run.config, run.created, run.ended) == ("one", FINISHED, {"epochs": 3}, 1.7e9,
                                                                         1.7e9 + 5)
    assert run.summary == {"accuracy": 0.8} and run.tags == ("a", "b") and run.note == "n"
    s = store.series(ids[0])["epoch/loss"]
    assert s.steps.tolist() == [0, 1, 2] and np.isnan(s.values[1]) and s.values[2] == 0.5
    kept = store.add_runs([_record("kept id", run_id=max(ids) + 10)])
    assert kept == [max(ids) + 10] and store.run(kept[0]).name == "kept id"


def test_add_runs_is_all_or_nothing(store):
    taken = store.create_run("taken", "train", {})
    with pytest.raises((InputError, StoreError)):
        store.add_runs([_record("fine"), _record("clash", run_id=taken)])
    assert [r.name for r in store.runs()] == ["taken"]


# ---------------------------------------------------------------- failures of the backend


def test_unusable_storage_is_a_store_error(backend, store):
    run_id = store.create_run("r", "train", {})
    backend.break_it(store)
    for call in (store.runs, lambda: store.run(run_id), lambda: store.series(run_id),
                 lambda: store.log_points(run_id, _points("epoch/loss", [0.5])), lambda: store.stop_requested(run_id),
                 lambda: store.create_run("x", "train", {})):
        with pytest.raises(StoreError):
            call()


def test_what_a_worker_needs_besides_the_address_is_text_for_its_environment(store):
    env = store.process_environment()
    assert isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
