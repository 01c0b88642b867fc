"""Copy a whole run store into another, of any backend (``python -m evalcore store copy SOURCE TARGET``): every run
with its id, settings, summary, tags, note, every logged point and every artifact.

The target must be empty, so run ids (and links to them) stay the same. The runs and their points are written in
one transaction (all or none); the artifacts follow, run by run. A run that was still active in the source is
copied as lost: its worker keeps writing to the source.

Example:
    >>> import tempfile
    >>> from evalcore.runs.backends import open_store
    >>> source, target = open_store(tempfile.mkdtemp()), open_store(tempfile.mkdtemp())
    >>> run_id = source.create_run("r", "train", {"epochs": 1}, status="finished")
    >>> source.put_artifact(run_id, "report", b"{}", "report.json")
    >>> copy_store(source, target).runs, target.run(run_id).name, sorted(target.artifacts(run_id))
    (1, 'r', ['report'])
"""

from __future__ import annotations

from dataclasses import dataclass

from evalcore.errors import input_error
from evalcore.runs.entities import Run, RunRecord
from evalcore.runs.statuses import ACTIVE, LOST
from evalcore.runs.store import RunStore

COPIED_ACTIVE = "This run was still active when its store was copied; its worker went on writing to the source store."


@dataclass(frozen=True)
class CopyReport:
    """What was copied."""

    runs: int
    points: int
    artifacts: int

    def line(self, source: str, target: str) -> str:
        return (f"copied {self.runs:,} run(s), {self.points:,} point(s) and {self.artifacts:,} artifact(s) from "
                f"{source} to {target}")


def copy_store(source: RunStore, target: RunStore) -> CopyReport:
    """Every run of ``source`` into the empty ``target``, keeping ids (see the module's description)."""
    if source.uri == target.uri:
        raise input_error("two different stores", f"the same store twice ({target.uri})", "name another target")
    if target.runs():
        raise input_error(f"an empty target store ({target.uri})", f"{len(target.runs()):,} run(s) in it",
                          "copy into a new, empty store (a new database or folder), so run ids stay the same")
    runs = sorted(source.runs(), key=lambda r: r.id)
    records = [_record(source, run) for run in runs]
    target.add_runs(records)  # one transaction: all runs and points, or none
    artifacts = 0
    for run in runs:
        for name, info in source.artifacts(run.id).items():
            if info.size is None:
                continue  # listed, but its bytes are gone from the source (shown there as missing too)
            with source.open_artifact(run.id, name) as stream:
                target.put_artifact(run.id, name, stream, info.file_name)
            artifacts += 1
    return CopyReport(len(records), sum(r.n_points for r in records), artifacts)


def _record(source: RunStore, run: Run) -> RunRecord:
    active = run.status in ACTIVE
    return RunRecord(name=run.name, kind=run.kind, status=LOST if active else run.status, config=run.config,
                     created=run.created or 0.0, started=run.started, ended=run.ended,
                     error=COPIED_ACTIVE if active else run.error, summary=run.summary, tags=run.tags,
                     note=run.note, executor=run.executor, node=run.node, series=source.series(run.id), id=run.id)
