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

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from evalcore.errors import input_error
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


STANDBY_ENV = "EVALCORE_STANDBY"  # "0": no standby worker (each run imports TensorFlow itself)
_standbys: dict[str, tuple[subprocess.Popen, Path]] = {}  # by environment: a worker waiting with Keras imported
_standby_lock = threading.Lock()


def _environment_key(env: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(env.items())).encode()).hexdigest()


def prewarm(store: RunStore) -> None:
    """Keep one local worker ready for ``store``: TensorFlow imported, waiting for a run (the Train page calls
    this when it opens, so that pressing Train starts training about 4 s sooner). It costs the memory of an idle
    TensorFlow process; ``EVALCORE_STANDBY=0`` turns it off. It ends when this process does (its input closes)."""
    if os.environ.get(STANDBY_ENV, "1") == "0" or executor.kind() != executor.LOCAL:
        return
    env = worker_environment(store)
    key = _environment_key(env)
    with _standby_lock:
        known = _standbys.get(key)
        if known is not None and known[0].poll() is None:
            return
        folder = work_folder(store)
        folder.mkdir(parents=True, exist_ok=True)
        ready = folder / f"standby-{os.getpid()}-{len(_standbys)}-{threading.get_ident()}.ready"
        ready.unlink(missing_ok=True)
        with open(folder / "standby.log", "ab") as out:
            proc = subprocess.Popen([sys.executable, "-m", "evalcore.training.worker", "--standby"], cwd=ROOT,
                                    env={**env, "EVALCORE_STANDBY_READY": str(ready)}, stdin=subprocess.PIPE,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _standbys[key] = (proc, ready)


def standby_ready(store: RunStore) -> bool:
    """Whether a standby worker for ``store`` has imported Keras and waits."""
    with _standby_lock:
        known = _standbys.get(_environment_key(worker_environment(store)))
    return known is not None and known[0].poll() is None and known[1].exists()


def _hand_to_standby(store: RunStore, run_id: int, log: Path) -> int | None:
    """Give the run to the standby worker for this store; its pid, or None if there is none alive."""
    with _standby_lock:
        known = _standbys.pop(_environment_key(worker_environment(store)), None)
    if known is None or known[0].poll() is not None:
        return None
    proc, ready = known
    try:
        assert proc.stdin is not None
        proc.stdin.write(f"{int(run_id)} {log}\n".encode())
        proc.stdin.close()
    except (BrokenPipeError, OSError, ValueError):
        return None
    ready.unlink(missing_ok=True)
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
            log = run_workspace(store, run_id) / "worker.log"
            pid = _hand_to_standby(store, run_id, log) or _spawn(store, ["evalcore.training.worker", str(run_id)], log)
            store.set_pid(run_id, pid, this_machine())


def start(config: TrainConfig, store: RunStore | None = None, name: str | None = None,
          request: Request | None = None) -> int:
    """Check the settings, record a queued run and start it on the chosen executor; returns the run id."""
    check(config)
    store = store or open_store()
    run_id = queue(store, config, name or run_name(config))
    dispatch(store, [run_id], request)
    return run_id


def start_seeds(config: TrainConfig, store: RunStore, seeds: int, request: Request | None = None) -> list[int]:
    """The same settings on ``seeds`` seeds (the config's seed, then the next ones): one seed group, which the
    Runs page shows as a mean curve with a band; locally one worker trains them in turn, on Ray in parallel.
    Returns the run ids, first seed first."""
    if not 1 <= seeds <= 50:
        raise input_error("1 to 50 seeds", str(seeds), "choose fewer seeds")
    configs = [config.replace(seed=config.seed + k) for k in range(seeds)]
    for c in configs:
        check(c)
    ids = [queue(store, c, f"{run_name(config)} · seed {c.seed}") for c in configs]
    dispatch(store, ids, request, log_name=None if seeds == 1 else f"seeds-{ids[0]}.log")
    return ids


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
