"""Where training runs: the executor setting, ``EVALCORE_EXECUTOR``.

- ``local`` (the default): a worker process per run (per ablation study: one process for its queue) on this
  machine, :mod:`evalcore.training.launch`.
- ``ray://host:10001``: the Ray cluster whose head answers Ray Client at that address; every run is a Ray task
  asking for its CPUs (and GPUs), on whichever node has room; an ablation's variants run in parallel.
- ``auto``: the Ray cluster started on this machine (``ray start --head``), else a Ray instance of this process's
  own that uses every core of this machine (it ends with the process that started it).

Ray is imported only when it is chosen (:mod:`evalcore.training.ray_executor`). Workers on any node write to the
store they are given, so with Ray the store is a shared PostgreSQL one (a SQLite file is for one machine).

Example:
    >>> kind("local"), kind("ray://head.example:10001"), kind("auto")
    ('local', 'ray', 'ray')
    >>> kind("ray://head.example")
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected EVALCORE_EXECUTOR to be local, auto or ray://host:port, found 'ray://head.example'. Fix: for a Ray cluster use its head's Ray Client address, e.g. ray://head.example:10001 (port 10001 unless the head was started with --ray-client-server-port).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from evalcore.errors import input_error

LOCAL, RAY = "local", "ray"
_RAY_CLIENT = re.compile(r"^ray://[^\s/:@]+:\d{1,5}$")


def address() -> str:
    """The executor setting: ``$EVALCORE_EXECUTOR``, else ``local``."""
    return os.environ.get("EVALCORE_EXECUTOR", "").strip() or LOCAL


def kind(setting: str | None = None) -> str:
    """``local`` or ``ray`` for an executor setting (default: :func:`address`); anything else is an InputError."""
    text = address() if setting is None else setting.strip()
    if text == LOCAL:
        return LOCAL
    if text == "auto" or _RAY_CLIENT.match(text):
        return RAY
    raise input_error("EVALCORE_EXECUTOR to be local, auto or ray://host:port", f"'{text[:80]}'",
                      "for a Ray cluster use its head's Ray Client address, e.g. ray://head.example:10001 (port "
                      "10001 unless the head was started with --ray-client-server-port)")


@dataclass(frozen=True)
class Request:
    """What a run asks of a Ray cluster: CPUs and GPUs for its task, and how many times a run lost with its node
    (or its worker process) is started again as a new run. The local executor gives a run one process.

    >>> Request(cpus=2, gpus=1).validate().gpus
    1.0
    """

    cpus: float = 1.0
    gpus: float = 0.0
    retries: int = 0

    def validate(self) -> Request:
        for name, value, low, high in (("CPUs per run", self.cpus, 0.1, 256), ("GPUs per run", self.gpus, 0, 16)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
                raise input_error(f"{name} from {low:g} to {high:g}", repr(value), "choose a number in that range")
        if not isinstance(self.retries, int) or isinstance(self.retries, bool) or not 0 <= self.retries <= 5:
            raise input_error("retries of a lost run from 0 to 5", repr(self.retries), "choose a whole number")
        return Request(float(self.cpus), float(self.gpus), int(self.retries))
