"""A run as a Ray task: the body that trains it on whichever node Ray chose (Keras is imported here, in the Ray
worker process). Submitted by the launcher actor of :mod:`evalcore.training.ray_executor`.
"""

from __future__ import annotations

import os
import tempfile

import ray

from evalcore.runs import QUEUED
from evalcore.training.ray_executor import node_label, worker_store


@ray.remote(max_retries=0)
def train_task(uri: str, environment: dict[str, str], run_id: int) -> str:
    """Train one queued run on this node (a run stopped or cancelled while it waited is left as it is)."""
    os.environ.setdefault("EVALCORE_HOME", os.path.join(tempfile.gettempdir(), "evalcore-ray"))
    os.environ.setdefault("KERAS_HOME", os.path.join(os.environ["EVALCORE_HOME"], "keras"))
    store = worker_store(uri, environment)
    run = store.run(run_id)
    if run.status != QUEUED:
        return run.status
    context = ray.get_runtime_context()
    store.set_pid(run_id, os.getpid(), node_label(ray.util.get_node_ip_address(), context.get_node_id()))
    import keras

    from evalcore.training.config import TrainConfig
    from evalcore.training.fit import train  # Keras: in this Ray worker only
    keras.backend.clear_session()  # a Ray worker process may train several runs, one after another
    return train(TrainConfig.from_dict(run.config), store, run_id).status
