"""SQLite run store: WAL, synchronous=FULL, a busy timeout, a schema version with migrations.

Writes are short transactions; readers never block the writer (WAL). A run whose worker process is gone
while it is still marked running is shown as ``lost``; nothing logged is ever deleted by the store itself.
Every failure of the file or its folder (a damaged file, a read-only folder, a full disk, a lock held too long)
is a :class:`~evalcore.errors.StoreError` that names the file and says what to do; a row with one bad field is
still read (see :mod:`evalcore.runs.rows`).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evalcore import limits
from evalcore.errors import StoreError, input_error
from evalcore.runs.rows import (  # noqa: F401  (re-exported: the store's vocabulary)
    ACTIVE,
    ENDED,
    FAILED,
    FINISHED,
    KINDS,
    LOST,
    QUEUED,
    RUNNING,
    STATUSES,
    STOPPED,
    Run,
    decode_run,
    json_safe,
    number,
)

BUSY_TIMEOUT_MS = 10_000
HEARTBEAT_STALE_S = 120.0  # a running run with a live pid but no heartbeat for this long is lost too
QUEUED_GRACE_S = 30.0      # a queued run whose launcher never recorded a pid is lost after this

# Schema migrations: MIGRATIONS[i] takes the store from user_version i to i + 1.
MIGRATIONS = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        config TEXT NOT NULL,
        created REAL NOT NULL,
        started REAL,
        ended REAL,
        heartbeat REAL,
        pid INTEGER,
        error TEXT,
        stop_requested INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE points (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        step INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        value REAL,
        wall REAL NOT NULL
    );
    CREATE INDEX points_by_run ON points(run_id, key, step);
    CREATE TABLE artifacts (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
    );
    """,
    # v2: the user's tags and note per run; the time series index also serves the runs table's summaries
    """
    ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def home() -> Path:
    """The data folder: ``$EVALCORE_HOME`` or ``./.evalcore``."""
    return Path(os.environ.get("EVALCORE_HOME") or ".evalcore").absolute()


@dataclass(frozen=True)
class Point:
    """One logged value: ``key`` such as ``epoch/val_loss``; ``step`` the epoch or the global batch index."""

    key: str
    step: int
    epoch: int
    value: float
    wall: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Series:
    """One metric's points, in step order."""

    steps: np.ndarray
    epochs: np.ndarray
    values: np.ndarray
    walls: np.ndarray


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


@dataclass(frozen=True)
class RunRecord:
    """A whole run to write at once (an import, a recovery): its row, and its points per key as columns."""

    name: str
    kind: str
    status: str
    config: dict
    created: float
    started: float | None = None
    ended: float | None = None
    error: str | None = None
    summary: dict = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    note: str = ""
    series: dict[str, Series] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)   # name -> file path
    id: int | None = None  # keep this id (a recovery); None: a new id (an import)

    @property
    def n_points(self) -> int:
        return sum(len(s.steps) for s in self.series.values())


DAMAGED = "a damaged database file (truncated, overwritten or corrupted)"
DAMAGED_FIX = ("run `python -m evalcore store check` to see what can be read, then `python -m evalcore store "
               "recover` to rebuild it from every readable run (the damaged file is kept beside it); or restore a "
               "backup; or set EVALCORE_HOME to another folder to start an empty store")


def diagnose(exc: BaseException, path: Path) -> tuple[str, str]:
    """(what was found, what to do) for a database or file error of the store at ``path``, in words."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    folder = next((p for p in (path, *path.parents) if p.is_dir()), None)
    if folder is not None and not os.access(folder, os.W_OK) and isinstance(exc, (sqlite3.OperationalError, OSError)):
        code = errno.EROFS  # SQLite says "unable to open" when it cannot create its -wal/-shm files
    check = "run `python -m evalcore store check`"
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text
                                                   or "corrupt" in text or "no such table" in text):
        return DAMAGED, DAMAGED_FIX
    if "readonly" in text or "read-only" in text or code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("a file or folder that cannot be written (read-only, or no permission)",
                "make the folder writable for this user, or set EVALCORE_HOME to a folder you can write "
                "(Evaluate works without the store)")
    if "unable to open" in text or code in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR):
        return ("a file that cannot be opened (the folder is missing, read-only, or not a folder)",
                "set EVALCORE_HOME to a folder you can write (Evaluate works without the store)")
    if "full" in text or code == errno.ENOSPC:
        return "a full disk", "free disk space (old runs' folders in runs/ hold models and predictions), then try again"
    if "locked" in text or "busy" in text:
        return (f"a write lock held by another process for over {BUSY_TIMEOUT_MS // 1000} s",
                "try again; if it persists, stop a stuck `python -m evalcore` or training process")
    if "i/o" in text:
        return "a disk read or write error", f"check the disk, then {check}"
    return f"an error the database reported ({type(exc).__name__})", check


def store_error(exc: BaseException | None, path: Path) -> StoreError:
    """The StoreError for ``exc`` (None: the file is damaged) at ``path``: never the library's message."""
    found, fix = diagnose(exc, path) if exc is not None else (DAMAGED, DAMAGED_FIX)
    return StoreError(f"Expected a working run store at {path}, found {found}. Fix: {fix}.")


def to_json(value) -> str:
    """A config or summary as JSON text; NaN and infinity become null (JSON has neither, and readers of the
    file would refuse them)."""
    return json.dumps(json_safe(value), allow_nan=False)


class RunStore:
    """The run store behind a small interface: create, log, set status, read runs and series.

    Each call opens its own connection (Streamlit runs each session on its own thread); a worker that logs
    every batch keeps one with :meth:`connection`.
    """

    def __init__(self, folder: str | os.PathLike | None = None, *, file_name: str = "runs.sqlite"):
        self.folder = Path(folder) if folder is not None else home()
        self.path = self.folder / file_name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_error(exc, self.folder) from exc
        with self.connection() as con:
            self._migrate(con)

    # ------------------------------------------------------------------ connections and schema

    @contextmanager
    def connection(self, any_thread: bool = False):
        """A connection with the store's pragmas; ``any_thread``: usable from other threads (the caller locks).

        Database and file errors inside the block become a :class:`StoreError` naming this store.
        """
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                  check_same_thread=not any_thread)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise store_error(exc, self.path) from exc
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA foreign_keys = ON")
            yield con
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # our own code broke a constraint or misused the API: a bug, not the store's state
        except sqlite3.DatabaseError as exc:
            raise store_error(exc, self.path) from exc
        finally:
            con.close()

    @contextmanager
    def _write(self, con: sqlite3.Connection | None = None):
        """A short write transaction (BEGIN IMMEDIATE: writers queue on the busy timeout, never fail midway)."""
        if con is None:
            with self.connection() as own, self._write(own) as cur:
                yield cur
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _migrate(self, con: sqlite3.Connection) -> None:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"Expected a run store of schema version {SCHEMA_VERSION} or older, found version "
                             f"{version} in {self.path}. Fix: upgrade evalcore, or point EVALCORE_HOME at another "
                             "folder.")
        for v in range(version, SCHEMA_VERSION):
            with self._write(con):
                if con.execute("PRAGMA user_version").fetchone()[0] != v:
                    continue  # another process migrated meanwhile
                for statement in MIGRATIONS[v].split(";"):
                    if statement.strip():
                        con.execute(statement)
                con.execute(f"PRAGMA user_version = {v + 1}")

    def quick_check(self) -> list[str]:
        """SQLite's quick check of the whole file (every page read once; no index comparison): [] when sound."""
        with self.connection() as con:
            return [r[0] for r in con.execute("PRAGMA quick_check(20)").fetchall() if r[0] != "ok"]

    def schema_version(self) -> int:
        with self.connection() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    # ------------------------------------------------------------------ runs

    def create_run(self, name: str, kind: str, config: dict, status: str = QUEUED) -> int:
        if kind not in KINDS:
            raise input_error(f"a run kind among {', '.join(KINDS)}", f"'{kind}'", "use one of those kinds")
        with self._write() as con:
            cur = con.execute("INSERT INTO runs (name, kind, status, config, created) VALUES (?, ?, ?, ?, ?)",
                              (_clean_name(name), kind, status, to_json(config), time.time()))
            return int(cur.lastrowid)

    def set_status(self, run_id: int, status: str, *, error: str | None = None, pid: int | None = None) -> None:
        now = time.time()
        error = None if error is None else str(error)[:limits.RUN_ERROR_CHARS]
        with self._write() as con:
            if status == RUNNING:
                con.execute("UPDATE runs SET status = ?, started = COALESCE(started, ?), heartbeat = ?, "
                            "pid = COALESCE(?, pid) WHERE id = ?", (status, now, now, pid, run_id))
            elif status in ENDED:
                con.execute("UPDATE runs SET status = ?, ended = ?, error = COALESCE(?, error) WHERE id = ?",
                            (status, now, error, run_id))
            else:
                con.execute("UPDATE runs SET status = ?, pid = COALESCE(?, pid) WHERE id = ?",
                            (status, pid, run_id))

    def finish(self, run_id: int, status: str, summary: dict, artifacts: dict[str, str | os.PathLike]) -> None:
        """End a run in one transaction: its summary, its files and its final status appear together, so a
        reader never sees a finished run without its results, or results under a run still marked running."""
        if status not in ENDED:
            raise input_error(f"a final status among {', '.join(ENDED)}", f"'{status}'", "use one of those")
        with self._write() as con:
            con.execute("UPDATE runs SET summary = ? WHERE id = ?", (to_json(summary), run_id))
            con.executemany("INSERT OR REPLACE INTO artifacts (run_id, name, path) VALUES (?, ?, ?)",
                            [(run_id, name, str(path)) for name, path in artifacts.items()])
            con.execute("UPDATE runs SET status = ?, ended = ? WHERE id = ?", (status, time.time(), run_id))

    def set_pid(self, run_id: int, pid: int) -> None:
        with self._write() as con:
            con.execute("UPDATE runs SET pid = ? WHERE id = ?", (pid, run_id))

    def set_summary(self, run_id: int, summary: dict) -> None:
        with self._write() as con:
            con.execute("UPDATE runs SET summary = ? WHERE id = ?", (to_json(summary), run_id))

    def heartbeat(self, run_id: int, con: sqlite3.Connection | None = None) -> None:
        with self._write(con) as c:
            c.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (time.time(), run_id))

    def request_stop(self, run_id: int) -> None:
        with self._write() as con:
            con.execute("UPDATE runs SET stop_requested = 1 WHERE id = ?", (run_id,))

    def stop_requested(self, run_id: int, con: sqlite3.Connection | None = None) -> bool:
        if con is None:
            with self.connection() as own:
                return self.stop_requested(run_id, own)
        row = con.execute("SELECT stop_requested FROM runs WHERE id = ?", (run_id,)).fetchone()
        return bool(row and row[0])

    def runs(self, kind: str | None = None) -> list[Run]:
        """All runs, newest first, with lost workers marked ``lost``."""
        self.reconcile()
        with self.connection() as con:
            sql = "SELECT * FROM runs" + (" WHERE kind = ?" if kind else "") + " ORDER BY id DESC"
            cur = con.execute(sql, (kind,) if kind else ())
            return [_run(cur.description, row) for row in cur.fetchall()]

    def run(self, run_id: int) -> Run:
        self.reconcile()
        with self.connection() as con:
            cur = con.execute("SELECT * FROM runs WHERE id = ?", (run_id,))
            row = cur.fetchone()
        if row is None:
            raise input_error("an existing run id", f"no run {run_id} in {self.path}",
                              "list the runs with `python -m evalcore runs`")
        return _run(cur.description, row)

    def reconcile(self) -> list[int]:
        """Mark active runs whose worker is gone as ``lost``; returns their ids."""
        now = time.time()
        with self.connection() as con:
            rows = con.execute("SELECT id, status, pid, heartbeat, created FROM runs "
                               "WHERE status IN (?, ?)", ACTIVE).fetchall()
        lost = []
        for run_id, status, pid, beat, created in rows:
            pid = pid if isinstance(pid, int) else None
            beat = beat if isinstance(beat, (int, float)) else None
            created = created if isinstance(created, (int, float)) else 0.0
            if status == RUNNING:
                gone = not process_alive(pid) or (beat is not None and now - beat > HEARTBEAT_STALE_S)
            else:  # queued: the launcher records the pid right after starting the worker
                gone = (pid is not None and not process_alive(pid)) or (pid is None and
                                                                        now - created > QUEUED_GRACE_S)
            if gone:
                lost.append(run_id)
        if lost:
            with self._write() as con:
                con.executemany(
                    "UPDATE runs SET status = ?, ended = COALESCE(heartbeat, ?), error = COALESCE(error, ?) "
                    "WHERE id = ? AND status IN (?, ?)",
                    [(LOST, now, "The worker process ended without reporting (killed or crashed).", run_id,
                      *ACTIVE) for run_id in lost])
        return lost

    # ------------------------------------------------------------------ points and artifacts

    def log_points(self, run_id: int, points: list[Point], con: sqlite3.Connection | None = None) -> None:
        if not points:
            return
        with self._write(con) as c:
            c.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, ?, ?, ?, ?, ?)",
                          [(run_id, p.key, int(p.step), int(p.epoch), _finite_or_none(p.value), p.wall)
                           for p in points])

    def series(self, run_id: int, keys: list[str] | None = None) -> dict[str, Series]:
        """Every logged metric of a run (or the given keys), each in step order. A point whose stored value is
        not a number (a damaged row) reads as NaN."""
        with self.connection() as con:
            sql = "SELECT key, step, epoch, value, wall FROM points WHERE run_id = ?"
            args: list = [run_id]
            if keys:
                sql += f" AND key IN ({', '.join('?' * len(keys))})"
                args += list(keys)
            rows = con.execute(sql + " ORDER BY key, step, rowid", args).fetchall()
        out: dict[str, Series] = {}
        if not rows:
            return out
        names = [str(r[0]) for r in rows]
        try:
            data = np.array([r[1:] for r in rows], dtype=np.float64)
        except (TypeError, ValueError):  # text in a numeric column: that cell reads as NaN
            data = np.array([[number(v) for v in r[1:]] for r in rows], dtype=np.float64)
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or names[i] != names[start]:
                block = data[start:i]
                block = block[np.isfinite(block[:, :2]).all(axis=1) & (block[:, :2] >= 0).all(axis=1)]
                if len(block):  # a point without a usable step or epoch (a damaged row) is left out
                    out[names[start]] = Series(block[:, 0].astype(np.int64), block[:, 1].astype(np.int64),
                                               block[:, 2], block[:, 3])
                start = i
        return out

    def add_artifact(self, run_id: int, name: str, path: str | os.PathLike) -> None:
        with self._write() as con:
            con.execute("INSERT OR REPLACE INTO artifacts (run_id, name, path) VALUES (?, ?, ?)",
                        (run_id, name, str(path)))

    def artifacts(self, run_id: int) -> dict[str, Path]:
        with self.connection() as con:
            rows = con.execute("SELECT name, path FROM artifacts WHERE run_id = ?", (run_id,)).fetchall()
        return {str(name): Path(str(path)) for name, path in rows}

    def edit(self, run_id: int, *, name: str | None = None, tags=None, note: str | None = None) -> None:
        """Change a run's name, tags and note (only those given) in one transaction."""
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = _clean_name(name)
            if not changes["name"]:
                raise input_error("a run name", "an empty name", "type a name")
        if tags is not None:
            changes["tags"] = json.dumps(clean_tags(tags))
        if note is not None:
            changes["note"] = str(note)[:limits.RUN_NOTE_CHARS]
        if changes:
            with self._write() as con:
                con.execute(f"UPDATE runs SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                            (*changes.values(), run_id))

    def rename(self, run_id: int, name: str) -> None:
        self.edit(run_id, name=name)

    def set_tags(self, run_id: int, tags) -> None:
        self.edit(run_id, tags=tags)

    def set_note(self, run_id: int, note: str) -> None:
        self.edit(run_id, note=note)

    def delete_run(self, run_id: int) -> None:
        """Delete one run: its row, points and artifacts (one transaction), then its folder. Never another run's.

        An active run is refused: stop it first.
        """
        run = self.run(run_id)
        if run.active:
            raise input_error("a run that has ended", f"run #{run_id} is {run.status}", "stop it first")
        with self._write() as con:
            con.execute("DELETE FROM points WHERE run_id = ?", (run_id,))
            con.execute("DELETE FROM artifacts WHERE run_id = ?", (run_id,))
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        folder = self.folder / "runs" / str(int(run_id))
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    def add_runs(self, records: list[RunRecord]) -> list[int]:
        """Write whole runs (row, points) in one transaction: all of them or, on any failure, none."""
        ids = []
        with self._write() as con:
            for r in records:
                cur = con.execute(
                    "INSERT INTO runs (id, name, kind, status, config, created, started, ended, error, summary, "
                    "tags, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r.id, _clean_name(r.name), r.kind, r.status, to_json(r.config), r.created, r.started,
                     r.ended, r.error, to_json(r.summary), json.dumps(clean_tags(r.tags)), r.note))
                run_id = int(cur.lastrowid)
                for key, s in r.series.items():
                    values = [None if v != v else v for v in s.values.tolist()]  # NaN is stored as NULL
                    con.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) "
                                    "VALUES (?, ?, ?, ?, ?, ?)",
                                    zip([run_id] * len(values), [key] * len(values), s.steps.tolist(),
                                        s.epochs.tolist(), values, s.walls.tolist()))
                con.executemany("INSERT INTO artifacts (run_id, name, path) VALUES (?, ?, ?)",
                                [(run_id, name, path) for name, path in r.artifacts.items()])
                ids.append(run_id)
        return ids

    def epoch_summaries(self, keys=("epoch/val_accuracy", "epoch/val_loss", "epoch/accuracy", "epoch/loss")
                        ) -> dict[tuple[int, str], tuple[float, float, float, int]]:
        """(run, key) -> (min, max, last, epochs) over every run, in one query (the runs table's columns)."""
        marks = ", ".join("?" * len(keys))
        with self.connection() as con:
            rows = con.execute(
                f"SELECT p.run_id, p.key, MIN(p.value), MAX(p.value), COUNT(*), "
                f"(SELECT q.value FROM points q WHERE q.run_id = p.run_id AND q.key = p.key "
                f" ORDER BY q.step DESC LIMIT 1) "
                f"FROM points p WHERE p.key IN ({marks}) GROUP BY p.run_id, p.key", tuple(keys)).fetchall()
        return {(r[0], r[1]): (number(r[2]), number(r[3]), number(r[5]),
                               int(r[4])) for r in rows}

    def run_folder(self, run_id: int) -> Path:
        """Where a run's files (predictions, logs, TensorBoard events) go."""
        folder = self.folder / "runs" / str(run_id)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_error(exc, folder) from exc
        return folder


def _one_line(text) -> str:
    """Text on one line: whitespace runs become one space, control characters (a terminal's escape codes) go.

    >>> _one_line("  a\\x1b[31m  b ")
    'a[31m b'
    """
    return " ".join("".join(c for c in str(text) if c.isprintable() or c.isspace()).split())


def _clean_name(name) -> str:
    """A run name on one line, at most RUN_NAME_CHARS characters."""
    return _one_line(name)[:limits.RUN_NAME_CHARS]


def clean_tags(tags) -> list[str]:
    """Tags on one line each, cut to RUN_TAG_CHARS, without blanks or duplicates, at most RUN_TAGS, sorted.

    >>> clean_tags([" b ", "a", "", "a"])
    ['a', 'b']
    """
    clean = sorted({_one_line(t)[:limits.RUN_TAG_CHARS] for t in tags} - {""})
    return clean[:limits.RUN_TAGS]


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None  # NaN is stored as NULL and read back as NaN


def _run(description, row) -> Run:
    return decode_run(dict(zip([c[0] for c in description], row)))
