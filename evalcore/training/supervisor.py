"""The supervisor of local worker processes: a run whose worker is gone while the store still calls it active
is marked ``lost``. The store never decides this itself (reading it never writes); the pages and the CLI call
:func:`reconcile` before they show runs.

A run started by a local worker process on this machine is judged by its process: a running run is lost when its
process is gone (or a zombie: killed, not yet reaped), or when it has not sent a heartbeat for
:data:`HEARTBEAT_STALE_S`; a queued run when the process recorded for it is gone, or when no process was ever
recorded within :data:`QUEUED_GRACE_S`. A run elsewhere (another machine sharing a PostgreSQL store, or a Ray node)
has no process here to look at: it is lost when running without a heartbeat for :data:`HEARTBEAT_STALE_S`; a
queued one waits (a Ray cluster may hold it until it has room; the Ray executor reports the runs of a dead node).

Example:
    >>> import os
    >>> process_alive(os.getpid()), process_alive(None)
    (True, False)
"""

from __future__ import annotations

import os
import socket
import time

from evalcore.runs.entities import Run
from evalcore.runs.statuses import ACTIVE, LOST_ERROR, RUNNING
from evalcore.runs.store import RunStore

HEARTBEAT_STALE_S = 120.0  # a running run with a live pid but no heartbeat for this long is lost too
QUEUED_GRACE_S = 30.0      # a queued run whose launcher never recorded a pid is lost after this


def process_alive(pid: int | None) -> bool:
    """True when the process exists and is not a zombie (a killed child its parent has not reaped yet)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: trust kill(0)


def this_machine() -> str:
    """The name of this machine, as a local worker records it in :attr:`Run.node`."""
    return socket.gethostname()


def here(run: Run) -> bool:
    """The run's worker is a local process of this machine (or of an older store that did not say where)."""
    return run.executor == "local" and run.node in ("", this_machine())


def gone(run: Run, now: float) -> bool:
    """The run is active in the store but nothing works on it any more."""
    stale = run.heartbeat is not None and now - run.heartbeat > HEARTBEAT_STALE_S
    if not here(run):
        return run.status == RUNNING and stale
    if run.status == RUNNING:
        return stale or not process_alive(run.pid)
    if run.pid is not None:  # queued: the launcher records the pid right after starting the worker
        return not process_alive(run.pid)
    return now - (run.created or 0.0) > QUEUED_GRACE_S


def reconcile(store: RunStore) -> list[int]:
    """Mark the active runs whose worker is gone as ``lost``; returns their ids."""
    now = time.time()
    lost = [run.id for run in store.runs(statuses=ACTIVE) if gone(run, now)]
    return store.mark_lost(lost, LOST_ERROR) if lost else []
