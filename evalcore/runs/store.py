"""The run store's interface: what the worker, the pages and the CLI may ask of any backend.

Ten jobs, no connections and no local paths: create a run; log a batch of points; set its status (and finish it
with its summary); read runs; read series (downsampled on request) and their summaries; artifacts as bytes or
streams; the stop flag; the heartbeat; edit and delete; import whole runs. Every failure of the backend itself
(a damaged file, a lost connection, a full disk) is a :class:`~evalcore.errors.StoreError`; a request that
cannot be met (an unknown run, a bad name) is an :class:`~evalcore.errors.InputError`.

:class:`~evalcore.runs.sqlite_store.SqliteRunStore` implements it; :func:`evalcore.runs.backends.open_store`
chooses the backend from an address. ``tests/contract/test_run_store_contract.py`` checks every backend.
Process liveness is not the store's business: :mod:`evalcore.training.supervisor` marks lost runs.

Example:
    >>> from evalcore.runs.sqlite_store import SqliteRunStore
    >>> import tempfile
    >>> isinstance(SqliteRunStore(tempfile.mkdtemp()), RunStore)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import BinaryIO, Protocol, runtime_checkable

from evalcore.runs.entities import Artifact, Point, Run, RunRecord, Series, SeriesSummary
from evalcore.runs.statuses import QUEUED


@runtime_checkable
class RunStore(Protocol):
    """A run store backend (see the module's description)."""

    @property
    def uri(self) -> str:
        """The address that opens this same store in another process (``open_store(uri)``)."""
        ...

    # -- runs: create, set status, finish, read
    def create_run(self, name: str, kind: str, config: dict, status: str = QUEUED, executor: str = "local") -> int:
        """A new run (name cleaned, settings as JSON without NaN) for ``executor`` (``local``, ``ray``); returns
        its id. Unknown kind: InputError."""
        ...

    def set_status(self, run_id: int, status: str, *, error: str | None = None, pid: int | None = None) -> None:
        """``running`` sets the start time, heartbeat and pid; an ended status sets the end time and the error."""
        ...

    def set_pid(self, run_id: int, pid: int, node: str | None = None) -> None:
        """The process that works on the run, and the machine or Ray node it is on (kept when None)."""
        ...

    def finish(self, run_id: int, status: str, summary: dict) -> None:
        """End a run with its summary in one step (a reader never sees one without the other); store its
        artifacts before. A status that is not an ended one: InputError."""
        ...

    def mark_lost(self, run_ids: Iterable[int], error: str) -> list[int]:
        """End the runs among ``run_ids`` that are still active as ``lost``, at their last heartbeat; returns
        those ids. Only the supervisor of their processes decides they are gone."""
        ...

    def run(self, run_id: int) -> Run:
        """One run; an unknown id: InputError."""
        ...

    def runs(self, kind: str | None = None, statuses: Sequence[str] | None = None) -> list[Run]:
        """All runs (of a kind, with one of ``statuses``), newest first. Never writes."""
        ...

    # -- points: the narrow write, the reads
    def log_points(self, run_id: int, points: Sequence[Point]) -> None:
        """Append a batch of points in one write (NaN stored as null). Called from any thread, often."""
        ...

    def series(self, run_id: int, keys: Sequence[str] | None = None,
               max_points: int | None = None) -> dict[str, Series]:
        """Every logged series of a run (or ``keys``) in step order; ``max_points``: each thinned for display
        (:func:`~evalcore.runs.entities.downsample`)."""
        ...

    def series_summaries(self, keys: Sequence[str]) -> dict[tuple[int, str], SeriesSummary]:
        """(run id, key) -> lowest, highest, last value and count, for every run, in one read."""
        ...

    # -- artifacts: bytes or streams
    def put_artifact(self, run_id: int, name: str, data: bytes | BinaryIO, file_name: str | None = None) -> None:
        """Store a file under ``name`` (replacing one of that name); ``file_name`` (``predictions.csv``) keeps its
        type for readers."""
        ...

    def open_artifact(self, run_id: int, name: str) -> BinaryIO:
        """A binary stream of an artifact (close it, e.g. ``with``); a missing one: InputError."""
        ...

    def artifacts(self, run_id: int) -> dict[str, Artifact]:
        """A run's artifacts by name."""
        ...

    # -- control: stop flag, heartbeat
    def request_stop(self, run_id: int) -> None:
        """Ask the run's worker to stop after its current batch."""
        ...

    def stop_requested(self, run_id: int) -> bool:
        """The stop flag; read before every batch, so it must be fast."""
        ...

    def heartbeat(self, run_id: int) -> None:
        """The worker is alive now."""
        ...

    def process_environment(self) -> dict[str, str]:
        """What a process started for this store (a worker) needs besides :attr:`uri` to open it, such as a
        password that ``uri`` leaves out; it goes into that process's environment only, never on screen."""
        ...

    # -- the user's changes, imports
    def edit(self, run_id: int, *, name: str | None = None, tags: Iterable[str] | None = None,
             note: str | None = None) -> None:
        """Change a run's name, tags and note (only those given) at once; an empty name: InputError."""
        ...

    def delete_run(self, run_id: int) -> None:
        """Delete a run, its points and artifacts; an active run: InputError (stop it first)."""
        ...

    def add_runs(self, records: Sequence[RunRecord]) -> list[int]:
        """Write whole runs (an import, a recovery): all of them, or on any failure none."""
        ...
