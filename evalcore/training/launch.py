"""Start a training run in its own process (no Keras import here: this runs in the Streamlit server).

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

from evalcore.runs import RunStore
from evalcore.training.config import TrainConfig
from evalcore.training.datasets import DATASETS, unavailable_strategies

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
    if config.transfer.enabled:
        from evalcore.training.bases import bases
        base = bases().get(config.transfer.base)
        if base is None or not base.available:
            raise input_error("an available pretrained base", f"'{config.transfer.base}'",
                              base.reason if base else "pick one from the list")


def worker_environment(store: RunStore) -> dict[str, str]:
    """The environment of a Keras process: this store, a KERAS_HOME inside it unless set, quiet TensorFlow."""
    env = {**os.environ, "EVALCORE_HOME": str(store.folder), "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.setdefault("KERAS_HOME", str(store.folder / "keras"))
    return env


def start(config: TrainConfig, store: RunStore | None = None, name: str | None = None) -> int:
    """Check the settings, record a queued run and start its worker; returns the run id."""
    check(config)
    store = store or RunStore()
    run_id = store.create_run(name or run_name(config), "train", config.to_dict())
    log = open(store.run_folder(run_id) / "worker.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "evalcore.training.worker", str(run_id)], cwd=ROOT,
                            env=worker_environment(store),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    store.set_pid(run_id, proc.pid)
    return run_id


def stop(run_id: int, store: RunStore | None = None) -> None:
    """Ask a run to stop: the worker sees the flag after its current batch."""
    (store or RunStore()).request_stop(run_id)
