"""The run store: runs, their metric points and artifacts, in one SQLite file.

Example:
    >>> import tempfile
    >>> store = RunStore(tempfile.mkdtemp())
    >>> run_id = store.create_run("demo", "train", {"epochs": 2})
    >>> store.log_points(run_id, [Point("epoch/loss", 0, 0, 0.7)])
    >>> store.run(run_id).status, store.series(run_id)["epoch/loss"].values.tolist()
    ('queued', [0.7])
"""

from evalcore.runs.store import (
    ACTIVE,
    ENDED,
    FAILED,
    FINISHED,
    LOST,
    QUEUED,
    RUNNING,
    STOPPED,
    Point,
    Run,
    RunStore,
    Series,
    home,
)

__all__ = ["ACTIVE", "ENDED", "FAILED", "FINISHED", "LOST", "QUEUED", "RUNNING", "STOPPED", "Point", "Run",
           "RunStore", "Series", "home"]
