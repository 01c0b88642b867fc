"""Starting runs: the checks before a run is queued, the executor that runs it (:mod:`evalcore.training.executor`:
local worker processes, or tasks on a Ray cluster), and the local executor itself: every process evalcore starts
(a run's worker, an ablation study's queue worker, the augmentation preview) and the local folder they work in.
No Keras import here: this runs in the Streamlit server.

A run's uploaded training CSV is stored with it (artifact ``training_csv``), so a worker on any machine reads the
same file from the store.

A worker process is started in its own session (closing the browser tab or restarting the server never stops
it), with its output in a log file; it opens the same store from ``EVALCORE_STORE`` (the store's address). Its
local files live in :func:`work_folder`: the worker logs, the uploaded training CSVs, Keras' cache and, per run
(:func:`run_workspace`), the TensorBoard event files. Those stay on this machine, whatever the store's backend;
what a run produces for readers (model, predictions) is stored as the run's artifacts.

Example:
    >>> from evalcore.training.config import TrainConfig
    >>> TrainConfig(epochs=0).validate()
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected valid training settings, found epochs is 0. Fix: epochs: use a whole number from 1 to 1000.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from evalcore.runs import QUEUED, STOPPED, RunStore, SqliteRunStore, home, open_store
from evalcore.training import executor
from evalcore.training.config import TrainConfig
from evalcore.training.datasets import DATASETS, unavailable_strategies
from evalcore.training.executor import Request
from evalcore.training.supervisor import this_machine

ROOT = Path(__file__).resolve().parents[2]
TRAINING_CSV = "training_csv"  # the artifact holding a run's uploaded training data


def run_name(config: TrainConfig) -> str:
    strategies = config.strategies()
    return f"{config.dataset} · " + (", ".join(strategies) if strategies else "baseline")


def check(config: TrainConfig) -> None:
    """Every check that can fail before a process starts (InputError with the fix)."""
    from evalcore.errors import input_error
    config.validate()
    if config.dataset not in DATASETS:
        raise input_error("a known dataset", f"'{config.dataset}'", "pick one from the list")
    blocked = unavailable_strategies(config.dataset)
    for name, why in blocked.items():
        if getattr(config, name).enabled:
            raise input_error(f"{name} to be off for this dataset", "it is on", why)
    if config.dataset == "csv":
        from evalcore.training.datasets import csv_table
        if not config.csv_path:
            raise input_error("an uploaded CSV for 'Your CSV'", "none", "upload a CSV file first")
        csv_table(config.csv_path, config.label_column)  # text features etc. fail here, not in the worker
    for strategy, settings in config.enabled():
        strategy.ready(settings)  # e.g. transfer learning's base weights are on this machine


def work_folder(store: RunStore) -> Path:
    """The local executor's folder: beside a SQLite store (its folder, as always), else ``$EVALCORE_HOME``."""
    return store.folder if isinstance(store, SqliteRunStore) else home()


def run_workspace(store: RunStore, run_id: int) -> Path:
    """A run's local folder (its worker log, TensorBoard events, files before they are stored), created."""
    folder = work_folder(store) / "runs" / str(int(run_id))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from evalcore.runs.diagnosis import store_error
        raise store_error(exc, folder) from exc
    return folder


def worker_environment(store: RunStore) -> dict[str, str]:
    """The environment of a Keras process: this store (its address, and what else opens it, e.g. a password),
    a KERAS_HOME inside it unless set, quiet TensorFlow."""
    folder = work_folder(store)
    env = {**os.environ, **store.process_environment(), "EVALCORE_STORE": store.uri, "EVALCORE_HOME": str(folder),
           "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.setdefault("KERAS_HOME", str(folder / "keras"))
    return env


def _spawn(store: RunStore, module_args: list[str], log: Path) -> int:
    """Start ``python -m <module_args>`` in its own session, its output appended to ``log``; returns its pid."""
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", *module_args], cwd=ROOT, env=worker_environment(store),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return proc.pid


def start_queue(store: RunStore, run_ids: list[int], log_name: str) -> int:
    """One worker that trains the queued runs one after another (an ablation study); returns its pid. Each run
    gets the pid, so that if the worker dies, its runs show as lost."""
    pid = _spawn(store, ["evalcore.training.worker", "--queue", *map(str, run_ids)], work_folder(store) / log_name)
    for run_id in run_ids:
        store.set_pid(run_id, pid, this_machine())
    return pid


def queue(store: RunStore, config: TrainConfig, name: str, extra: dict | None = None) -> int:
    """Record a queued run for the chosen executor, with its uploaded CSV stored beside it; returns its id."""
    run_id = store.create_run(name, "train", {**config.to_dict(), **(extra or {})}, executor=executor.kind())
    if config.dataset == "csv" and config.csv_path:
        with open(config.csv_path, "rb") as data:
            store.put_artifact(run_id, TRAINING_CSV, data, "training.csv")
    return run_id


def dispatch(store: RunStore, run_ids: list[int], request: Request | None = None, log_name: str | None = None) -> None:
    """Start queued runs on the chosen executor: locally one worker per run, or one for the whole queue when
    ``log_name`` names its log (an ablation study); on Ray a task per run, in parallel as far as the cluster
    has room."""
    if executor.kind() == executor.RAY:
        from evalcore.training import ray_executor
        ray_executor.submit(store, run_ids, (request or Request()).validate())
    elif log_name is not None:
        start_queue(store, run_ids, log_name)
    else:
        for run_id in run_ids:
            pid = _spawn(store, ["evalcore.training.worker", str(run_id)],
                         run_workspace(store, run_id) / "worker.log")
            store.set_pid(run_id, pid, this_machine())


def start(config: TrainConfig, store: RunStore | None = None, name: str | None = None,
          request: Request | None = None) -> int:
    """Check the settings, record a queued run and start it on the chosen executor; returns the run id."""
    check(config)
    store = store or open_store()
    run_id = queue(store, config, name or run_name(config))
    dispatch(store, [run_id], request)
    return run_id


def retry(store: RunStore, run_id: int, request: Request | None = None) -> int:
    """Start a lost (or failed, stopped) training run again as a new run: same settings, its stored CSV; returns
    the new run's id. The old run and its points stay as they are."""
    run = store.run(run_id)
    if run.kind != "train" or run.active:
        from evalcore.errors import input_error
        raise input_error("a training run that has ended", f"run {run_id} is {run.kind}, {run.status}",
                          "choose a lost, failed or stopped training run")
    new_id = store.create_run(f"{run.name} (retry of #{run_id})", "train", run.config, executor=executor.kind())
    if TRAINING_CSV in store.artifacts(run_id):
        with store.open_artifact(run_id, TRAINING_CSV) as data:
            store.put_artifact(new_id, TRAINING_CSV, data, "training.csv")
    dispatch(store, [new_id], request)
    return new_id


class ProcessFailed(Exception):
    """A short-lived helper process failed (it crashed, timed out or could not start); the message ends with the
    end of its output, for the server's log."""


def preview(config_json: str, out: Path, store: RunStore, timeout: float = 120) -> None:
    """Draw augmented examples in a short-lived Keras process (``evalcore.training.preview``) into ``out``;
    a failure raises :class:`ProcessFailed`."""
    try:
        done = subprocess.run([sys.executable, "-m", "evalcore.training.preview", config_json, str(out)],
                              capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                              env=worker_environment(store))
    except (subprocess.SubprocessError, OSError) as exc:
        raise ProcessFailed(f"the preview process could not finish: {exc}") from exc
    if done.returncode != 0:
        raise ProcessFailed(f"the preview process exited with {done.returncode}: {done.stderr[-4000:]}")


def stop(run_id: int, store: RunStore | None = None) -> None:
    """Ask a run to stop, on any machine: the worker sees the flag in the store after its current batch; a run
    still queued is stopped before it starts."""
    store = store or open_store()
    store.request_stop(run_id)
    if store.run(run_id).status == QUEUED:
        store.set_status(run_id, STOPPED, error="Stopped before it started.")
