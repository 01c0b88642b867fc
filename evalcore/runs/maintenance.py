"""Looking after a run store: check it, back it up while it is in use, and rebuild a damaged one.

- :func:`check` reads everything (SQLite's integrity check, the schema version, every run's fields, every
  artifact's file) and reports what it found; it never changes the store.
- :func:`backup` copies the store with SQLite's online backup API: a consistent copy even while workers write.
- :func:`recover` rebuilds a damaged store from every row that can still be read, keeping run ids (so each run's
  folder of files still belongs to it), and keeps the damaged file beside it.

Example:
    >>> import tempfile; from pathlib import Path
    >>> store = SqliteRunStore(tempfile.mkdtemp())
    >>> _ = store.create_run("r", "train", {})
    >>> report = check(store.folder)
    >>> report.ok, report.runs
    (True, 1)
    >>> backup(store.folder, Path(store.folder) / "copy.sqlite").runs
    1
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evalcore.errors import StoreError, input_error  # noqa: F401  (StoreError: what every failure here raises)
from evalcore.runs.diagnosis import diagnose, store_error
from evalcore.runs.entities import Run, RunRecord, Series
from evalcore.runs.rows import decode_run, number
from evalcore.runs.sqlite_store import SCHEMA_VERSION, STORE_FILE, SqliteRunStore
from evalcore.runs.statuses import ENDED, KINDS, LOST


@dataclass
class CheckReport:
    """What :func:`check` found. ``ok`` when the file is sound and every run reads cleanly."""

    path: Path
    integrity: list[str] = field(default_factory=list)   # SQLite's findings; empty when sound
    schema_version: int | None = None
    runs: int = 0
    points: int = 0
    run_problems: dict[int, tuple[str, ...]] = field(default_factory=dict)
    missing_files: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.integrity and not self.run_problems and self.schema_version is not None
                and self.schema_version <= SCHEMA_VERSION)

    def lines(self) -> list[str]:
        """The report as text lines for the command line."""
        out = [f"store: {self.path}"]
        if self.integrity:
            out.append(f"damaged: SQLite's integrity check found {len(self.integrity)} problem(s), e.g. "
                       + "; ".join(self.integrity[:3]))
            out.append("what to do: `python -m evalcore store recover` rebuilds the store from every readable run "
                       "(the damaged file is kept beside it)")
        else:
            out.append("file: sound (SQLite integrity check ok)")
        if self.schema_version is not None and self.schema_version > SCHEMA_VERSION:
            out.append(f"schema version {self.schema_version} is newer than this evalcore reads ({SCHEMA_VERSION}): "
                       "upgrade evalcore")
        else:
            out.append(f"schema version: {self.schema_version} (this evalcore: {SCHEMA_VERSION}; an older store is "
                       "upgraded when evalcore opens it)")
        out.append(f"runs: {self.runs:,}, points: {self.points:,}")
        for run_id, problems in sorted(self.run_problems.items()):
            out.append(f"run #{run_id}: {'; '.join(problems)} (fix or delete it on the Runs page)")
        for run_id, name, path in self.missing_files[:20]:
            out.append(f"run #{run_id}: its {name} file is missing ({path})")
        if len(self.missing_files) > 20:
            out.append(f"… and {len(self.missing_files) - 20} more missing files")
        out.append("ok" if self.ok else "problems found")
        return out


def store_path(folder: str | os.PathLike, file_name: str = STORE_FILE) -> Path:
    return Path(folder) / file_name


def check(folder: str | os.PathLike, file_name: str = STORE_FILE) -> CheckReport:
    """Read the whole store in ``folder`` and report; never writes."""
    path = store_path(folder, file_name)
    if not path.exists():
        raise input_error(f"a run store at {path}", "no such file",
                          "check EVALCORE_STORE and EVALCORE_HOME (the store is created by the first run)")
    return check_file(path)


def check_file(path: str | os.PathLike) -> CheckReport:
    """:func:`check` of a store file under any name (a backup, a damaged copy); opens it read-only."""
    path = Path(path)
    report = CheckReport(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
    try:
        try:
            report.integrity = [r[0] for r in con.execute("PRAGMA integrity_check(100)").fetchall()
                                if r[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            report.integrity = [_words(exc)]
            return report
        try:
            report.schema_version = con.execute("PRAGMA user_version").fetchone()[0]
            cur = con.execute("SELECT * FROM runs ORDER BY id")
            names = [c[0] for c in cur.description]
            for row in cur:
                run = decode_run(dict(zip(names, row)))
                report.runs += 1
                if run.problems:
                    report.run_problems[run.id] = run.problems
            report.points = con.execute("SELECT COUNT(*) FROM points").fetchone()[0]
            for run_id, name, file in con.execute("SELECT run_id, name, path FROM artifacts ORDER BY run_id"):
                if not Path(str(file)).exists():
                    report.missing_files.append((run_id, str(name), str(file)))
        except sqlite3.DatabaseError as exc:
            report.integrity.append(_words(exc))
    finally:
        con.close()
    return report


def backup(folder: str | os.PathLike, destination: str | os.PathLike, file_name: str = STORE_FILE) -> CheckReport:
    """Copy the store to ``destination`` (a new file) with SQLite's online backup API; returns the copy's check.

    Consistent while workers write: the copy is one committed state of the store.
    """
    source, target = store_path(folder, file_name), Path(destination)
    if target.exists():
        raise input_error("a new file to back up to", f"'{target}' already exists",
                          "choose another name, or delete the old file first")
    if not source.exists():
        raise input_error(f"a run store at {source}", "no such file", "check EVALCORE_STORE and EVALCORE_HOME")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except (sqlite3.DatabaseError, OSError) as exc:
        target.unlink(missing_ok=True)
        raise store_error(exc, source) from exc
    return check_file(target)


@dataclass
class Recovery:
    """What :func:`recover` did: runs and points copied, what could not be read, where the damaged file went."""

    runs: int
    points: int
    unreadable_runs: list[int]
    unreadable_series: list[int]
    reset_fields: dict[int, tuple[str, ...]]
    damaged_copy: Path

    def lines(self) -> list[str]:
        out = [f"recovered {self.runs:,} run(s) and {self.points:,} point(s) into a new store",
               f"the damaged store is kept as {self.damaged_copy}"]
        if self.unreadable_runs:
            out.append(f"runs that could not be read: {_ids(self.unreadable_runs)}")
        if self.unreadable_series:
            out.append(f"runs whose points could not all be read (kept without them): {_ids(self.unreadable_series)}")
        for run_id, problems in sorted(self.reset_fields.items())[:20]:
            out.append(f"run #{run_id}: fields that could not be read were reset ({'; '.join(problems)})")
        if len(self.reset_fields) > 20:
            out.append(f"… and {len(self.reset_fields) - 20} more runs with reset fields")
        return out


def _ids(ids: list[int], limit: int = 20) -> str:
    """
    >>> _ids([3, 4, 9]), _ids(list(range(1, 100)), limit=3)
    ('#3, #4, #9', '#1, #2, #3 (and 96 more)')
    """
    shown = ", ".join(f"#{i}" for i in ids[:limit])
    return shown + (f" (and {len(ids) - limit:,} more)" if len(ids) > limit else "")


def recover(folder: str | os.PathLike, *, alive: Callable[[Run], bool], file_name: str = STORE_FILE) -> Recovery:
    """Rebuild the store at ``folder`` from every readable row, keeping run ids; the damaged file is kept as
    ``runs.damaged-<time>.sqlite``. Refused while a run's worker is ``alive`` (its later points would go to the old
    file; the caller knows how to tell, e.g. from its process id), for a store from a newer
    evalcore, and for a file with nothing readable in it."""
    path = store_path(folder, file_name)
    if not path.exists():
        raise input_error(f"a run store at {path}", "no such file", "check EVALCORE_STORE and EVALCORE_HOME")
    with open(path, "rb") as f:
        if not f.read(16).startswith(b"SQLite format 3"):
            raise input_error(f"a SQLite run store at {path}", "a file that is not a SQLite database (nothing in "
                              "it can be recovered)", "restore a backup, or move the file away to start an empty "
                              "store")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    damaged = path.with_name(f"runs.damaged-{stamp}.sqlite")
    fresh = path.with_name(f"runs.recovering-{stamp}.sqlite")
    reading = fresh.with_suffix(".reading")
    try:
        for suffix in ("", "-wal"):  # the write-ahead log holds committed pages not yet in the main file
            if Path(f"{path}{suffix}").exists():
                shutil.copy2(f"{path}{suffix}", f"{damaged}{suffix}")
        found = _readable_runs(_padded_copy(damaged, reading), alive)
        refusal = _refusal(found)
        if refusal is not None:
            for suffix in ("", "-wal"):
                Path(f"{damaged}{suffix}").unlink(missing_ok=True)
            raise refusal
        target = SqliteRunStore(folder, file_name=fresh.name)
        target.add_runs(found.records)
        top = max([found.last_id, *found.ids(), *_run_folders(Path(folder))], default=0)
        with target.connection() as con:  # new runs never take an id (and a folder) a lost run had
            con.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'runs'", (top,))
            if con.execute("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'runs'").fetchone()[0] == 0:
                con.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', ?)", (top,))
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to move into place
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, path)
    except (sqlite3.DatabaseError, OSError) as exc:
        fresh.unlink(missing_ok=True)
        raise store_error(exc, path) from exc
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{reading}{suffix}").unlink(missing_ok=True)
    reset = {run_id: found.problems[run_id] for run_id in found.ids() if found.problems.get(run_id)}
    return Recovery(len(found.records), sum(r.n_points for r in found.records), found.unreadable, found.partial,
                    reset, damaged)


def _refusal(found: _Found) -> Exception | None:
    if found.schema_version is not None and found.schema_version > SCHEMA_VERSION:
        return input_error(f"a run store of schema version {SCHEMA_VERSION} or older", f"version "
                           f"{found.schema_version}", "recover it with the newer evalcore that wrote it")
    if found.alive:
        return input_error("no training run still at work", f"the workers of {_ids(found.alive)} running",
                           "stop them (Train page or `kill`), then recover")
    if not found.records and not found.schema_readable:
        return input_error("a store with something readable in it", "no readable table", "restore a backup, or "
                           "move the file away to start an empty store")
    return None


def _run_folders(folder: Path) -> list[int]:
    runs = folder / "runs"
    return [int(p.name) for p in runs.iterdir() if p.name.isdigit()] if runs.is_dir() else []


def _padded_copy(source: Path, target: Path) -> Path:
    """A copy to read from, grown back to the size its header states: SQLite refuses every query on a file
    shorter than that, but reads each intact page of a padded one (the lost pages read as damaged)."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy2(f"{source}{suffix}", f"{target}{suffix}")
    with open(target, "r+b") as f:
        header = f.read(100)
        if len(header) == 100 and header.startswith(b"SQLite format 3\0"):
            page = int.from_bytes(header[16:18], "big")
            page = 65536 if page == 1 else page
            expected = int.from_bytes(header[28:32], "big") * page
            size = f.seek(0, os.SEEK_END)
            if size < expected:
                f.write(b"\0" * (expected - size))
    return target


@dataclass
class _Found:
    """What can still be read from a damaged file."""

    records: list[RunRecord] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)   # run rows that could not be read
    partial: list[int] = field(default_factory=list)      # runs whose points could not all be read
    problems: dict[int, tuple[str, ...]] = field(default_factory=dict)  # fields reset to empty values
    alive: list[int] = field(default_factory=list)        # active runs whose worker still runs
    schema_version: int | None = None
    schema_readable: bool = False
    last_id: int = 0                                      # the highest id the store ever issued

    def ids(self) -> list[int]:
        """The ids of the readable runs (each keeps its id)."""
        return [r.id for r in self.records if r.id is not None]


def _readable_runs(path: Path, alive: Callable[[Run], bool]) -> _Found:
    """Every run row, and each run's points, that SQLite can still read from a damaged file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = _Found()
    try:
        try:
            found.schema_version = con.execute("PRAGMA user_version").fetchone()[0]
            con.execute("SELECT name FROM sqlite_master").fetchall()
            found.schema_readable = True
        except sqlite3.DatabaseError:
            pass
        try:
            found.last_id = int(con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()[0])
        except (sqlite3.DatabaseError, TypeError, ValueError):
            pass
        for run_id in _run_ids(con, found.last_id):
            try:
                cur = con.execute("SELECT * FROM runs WHERE id = ?", (run_id,))
                row = cur.fetchone()
                names = [c[0] for c in cur.description]
            except sqlite3.DatabaseError:
                found.unreadable.append(run_id)
                continue
            if row is None:
                continue
            run = decode_run(dict(zip(names, row)))
            if run.active and alive(run):
                found.alive.append(run.id)
            try:
                series = _series(con, run_id)
            except sqlite3.DatabaseError:
                series = {}
                found.partial.append(run_id)
            found.problems[run.id] = run.problems
            found.records.append(RunRecord(
                id=run.id, name=run.name or f"run {run.id}", kind=run.kind if run.kind in KINDS else "train",
                status=run.status if run.status in ENDED else LOST, config=run.config,
                created=run.created or time.time(), started=run.started, ended=run.ended,
                error=run.error if run.status in ENDED else "Its worker was running when the store was recovered.",
                summary=run.summary, tags=run.tags, note=run.note, series=series,
                artifacts=_artifacts(con, run_id)))
    finally:
        con.close()
    return found


def _run_ids(con: sqlite3.Connection, last_id: int) -> list[int]:
    try:
        return [r[0] for r in con.execute("SELECT id FROM runs ORDER BY id")]
    except sqlite3.DatabaseError:  # the table's tree is damaged: probe ids one by one up to the last one issued
        return list(range(1, (last_id or 100_000) + 1))


def _series(con: sqlite3.Connection, run_id: int) -> dict[str, Series]:
    """A run's points, through the index, or by scanning the table when the index is damaged."""
    try:
        rows = con.execute("SELECT key, step, epoch, value, wall FROM points WHERE run_id = ? "
                           "ORDER BY key, step, rowid", (run_id,)).fetchall()
    except sqlite3.DatabaseError:
        rows = con.execute("SELECT key, step, epoch, value, wall FROM points NOT INDEXED WHERE run_id = ?",
                           (run_id,)).fetchall()
        rows.sort(key=lambda r: (str(r[0]), r[1] if isinstance(r[1], int) else -1))
    out: dict[str, list] = {}
    for key, step, epoch, value, wall in rows:
        if isinstance(step, int) and isinstance(epoch, int) and isinstance(wall, (int, float)):
            out.setdefault(str(key), []).append((step, epoch, number(value), wall))
    return {key: Series(np.array([p[0] for p in pts], dtype=np.int64), np.array([p[1] for p in pts], dtype=np.int64),
                        np.array([p[2] for p in pts], dtype=np.float64), np.array([p[3] for p in pts],
                                                                                   dtype=np.float64))
            for key, pts in out.items()}


def _artifacts(con: sqlite3.Connection, run_id: int) -> dict[str, str]:
    try:
        return {str(name): str(file) for name, file in
                con.execute("SELECT name, path FROM artifacts WHERE run_id = ?", (run_id,))}
    except sqlite3.DatabaseError:
        return {}


def _words(exc: sqlite3.DatabaseError) -> str:
    return diagnose(exc, Path("."))[0]



