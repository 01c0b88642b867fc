"""The Ray executor: every run a Ray task with its resource request, on any node of the cluster.

Imported only when ``EVALCORE_EXECUTOR`` chooses Ray (:mod:`evalcore.training.executor`); no Keras import here
(the Streamlit server submits runs). The tasks are submitted by one detached actor per cluster, the *launcher*,
placed on the head node: it owns them, so they keep running when the dashboard or the command that asked for
them ends or restarts. It watches each task: when the node or the worker process running it dies, it marks the
run ``lost`` (every point logged until then is already committed in the store) and, when the run asked for
retries, starts it again as a new run.

A task (:mod:`evalcore.training.ray_worker`) opens the store from its address (and the environment that opens
it, e.g. a PostgreSQL password, passed as an argument, never shown), records the node it runs on, and trains with
the same code as a local worker. The evalcore package travels with the tasks (Ray's ``py_modules``); each node
needs the same Python packages.

Example:
    >>> node_label("127.0.0.1", "fa25917eaaea577d361e")
    '127.0.0.1 fa25917eaaea577d361e'
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

import ray

import evalcore
from evalcore.errors import input_error
from evalcore.runs import RunStore, open_store
from evalcore.training.executor import Request, address

NAMESPACE = "evalcore"
LAUNCHER = "evalcore-launcher"
_connect_lock = threading.Lock()


def node_label(ip: str, node_id: str) -> str:
    """What a run records as its node: the node's address and Ray's id for it (two nodes may share a machine)."""
    return f"{ip} {node_id}"


def connect(setting: str | None = None) -> None:
    """Join the Ray cluster of the setting once per process (``auto``: the one on this machine, else a new local
    instance). A cluster that does not answer is an InputError that says how to start it."""
    setting = address() if setting is None else setting
    with _connect_lock:
        if ray.is_initialized():
            return
        try:
            ray.init(address=None if setting == "auto" else setting, namespace=NAMESPACE,
                     runtime_env={"py_modules": [os.path.dirname(evalcore.__file__)], "env_vars": {"TF_CPP_MIN_LOG_LEVEL": "2"}},
                     logging_level=logging.WARNING, log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
            raise input_error(f"a Ray cluster answering at {setting}", f"none ({type(exc).__name__}: {str(exc)[:200]})",
                              "start it with `ray start --head` (see the README's Team setup), or set "
                              "EVALCORE_EXECUTOR=local") from exc


def submit(store: RunStore, run_ids: list[int], request: Request) -> None:
    """Hand queued runs to the cluster; each becomes a task when the launcher receives it (a run waits, queued
    in Ray, until a node has the CPUs and GPUs it asks for)."""
    connect()
    launcher: Any = Launcher.options(name=LAUNCHER, namespace=NAMESPACE, lifetime="detached", get_if_exists=True,
                                num_cpus=0, resources={"node:__internal_head__": 0.001}).remote()
    ray.get(launcher.submit.remote(store.uri, store.process_environment(), list(map(int, run_ids)),
                                   request.cpus, request.gpus, request.retries))


def worker_store(uri: str, environment: dict[str, str]) -> RunStore:
    """The store in a Ray process, opened with the environment its launcher passed (a password stays out of the
    address, the logs and Ray's dashboard)."""
    os.environ.update(environment)
    return open_store(uri)


class _Launcher:
    """Submits and watches the cluster's training tasks (see the module's description); a Ray actor,
    :data:`Launcher`."""

    def __init__(self) -> None:
        self.watching: set[asyncio.Task] = set()

    async def submit(self, uri: str, environment: dict[str, str], run_ids: list[int], cpus: float, gpus: float,
                     retries: int) -> int:
        for run_id in run_ids:
            self._start(uri, environment, run_id, cpus, gpus, retries)
        return len(run_ids)

    async def ping(self) -> int:
        """How many tasks it watches (and that it is alive)."""
        return len(self.watching)

    def _start(self, uri: str, environment: dict[str, str], run_id: int, cpus: float, gpus: float,
               retries: int) -> None:
        from evalcore.training.ray_worker import train_task  # in the launcher actor's process, never the server's
        ref = train_task.options(num_cpus=cpus, num_gpus=gpus).remote(uri, environment, run_id)
        task = asyncio.get_running_loop().create_task(self._watch(ref, uri, environment, run_id, cpus, gpus,
                                                                  retries))
        self.watching.add(task)
        task.add_done_callback(self.watching.discard)

    async def _watch(self, ref, uri: str, environment: dict[str, str], run_id: int, cpus: float, gpus: float,
                     retries: int) -> None:
        try:
            await ref
            return  # the run recorded its own end (finished, stopped, failed)
        except ray.exceptions.RayError as exc:
            why = _death(exc)
        retry = await asyncio.to_thread(_mark_lost, uri, environment, run_id, why, retries)
        if retry is not None:
            self._start(uri, environment, retry, cpus, gpus, retries - 1)


Launcher = ray.remote(_Launcher)


def _death(exc: BaseException) -> str:
    """What ended a task, for the run's error."""
    if isinstance(exc, ray.exceptions.NodeDiedError) or "node" in str(exc).lower():
        return "The Ray node running it died"
    if isinstance(exc, ray.exceptions.WorkerCrashedError):
        return "Its Ray worker process died"
    return f"Ray could not finish its task ({type(exc).__name__})"


def _mark_lost(uri: str, environment: dict[str, str], run_id: int, why: str, retries: int) -> int | None:
    """Mark the run lost (if it is still active); with retries left, queue a copy of it and return its id."""
    store = worker_store(uri, environment)
    if not store.mark_lost([run_id], f"{why}; every point it logged until then is kept."):
        return None
    if retries <= 0:
        return None
    run = store.run(run_id)
    return store.create_run(f"{run.name} (retry of #{run_id})", run.kind, run.config, executor="ray")
