"""The local executor: every process evalcore starts (a run's worker, an ablation study's queue worker, the
augmentation preview), and the local folder they work in. No Keras import here: this runs in the Streamlit
server.

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

from evalcore.runs import RunStore, SqliteRunStore, home, open_store
from evalcore.training.config import TrainConfig
from evalcore.training.datasets import DATASETS, unavailable_strategies
from evalcore.training.supervisor import this_machine

ROOT = Path(__file__).resolve().parents[2]


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


def start(config: TrainConfig, store: RunStore | None = None, name: str | None = None) -> int:
    """Check the settings, record a queued run and start its worker; returns the run id."""
    check(config)
    store = store or open_store()
    run_id = store.create_run(name or run_name(config), "train", config.to_dict())
    pid = _spawn(store, ["evalcore.training.worker", str(run_id)], run_workspace(store, run_id) / "worker.log")
    store.set_pid(run_id, pid, this_machine())
    return run_id


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
    """Ask a run to stop: the worker sees the flag after its current batch."""
    (store or open_store()).request_stop(run_id)
