"""Runs: what a run is (:mod:`~evalcore.runs.entities`, :mod:`~evalcore.runs.statuses`,
:mod:`~evalcore.runs.keys`), the store's interface (:mod:`~evalcore.runs.store`), its SQLite backend
(:mod:`~evalcore.runs.sqlite_store`) and the choice of backend (:func:`open_store`).

Example:
    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp())
    >>> run_id = store.create_run("demo", "train", {"epochs": 2})
    >>> store.log_points(run_id, [Point("epoch/loss", 0, 0, 0.7)])
    >>> store.run(run_id).status, store.series(run_id)["epoch/loss"].values.tolist()
    ('queued', [0.7])
"""

from evalcore.runs.backends import open_store
from evalcore.runs.folders import home
from evalcore.runs.entities import Artifact, Point, Run, RunRecord, Series, SeriesSummary
from evalcore.runs.sqlite_store import SqliteRunStore
from evalcore.runs.statuses import ACTIVE, ENDED, FAILED, FINISHED, LOST, QUEUED, RUNNING, STOPPED
from evalcore.runs.store import RunStore

__all__ = ["ACTIVE", "ENDED", "FAILED", "FINISHED", "LOST", "QUEUED", "RUNNING", "STOPPED", "Artifact", "Point",
           "Run", "RunRecord", "RunStore", "Series", "SeriesSummary", "SqliteRunStore", "home", "open_store"]
