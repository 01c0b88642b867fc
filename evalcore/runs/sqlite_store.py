"""The SQLite run store: WAL, synchronous=FULL, a busy timeout, a schema version with migrations.

Writes are short transactions; readers never block the writer (WAL), and reading never writes. Every failure
of the file or its folder (a damaged file, a read-only folder, a full disk, a lock held too long) is a
:class:`~evalcore.errors.StoreError` that names the file and says what to do (:mod:`evalcore.runs.diagnosis`);
a row with one bad field is still read (:mod:`evalcore.runs.rows`). Artifacts are files in the store's folder,
``runs/<id>/<file name>``. The worker's frequent calls (points, the stop flag, the heartbeat) reuse one
connection per thread. Looking after the file (check, backup, recover) is :mod:`evalcore.runs.maintenance`.

Example:
    >>> import tempfile
    >>> store = SqliteRunStore(tempfile.mkdtemp())
    >>> run_id = store.create_run("demo", "train", {"epochs": 2})
    >>> store.log_points(run_id, [Point("epoch/loss", 0, 0, 0.7)])
    >>> store.run(run_id).status, store.series(run_id)["epoch/loss"].values.tolist()
    ('queued', [0.7])
    >>> store.uri.startswith("sqlite:///")
    True
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np

from evalcore.errors import StoreError, input_error
from evalcore.runs.folders import home
from evalcore.runs import statements
from evalcore.runs.cleaning import clean_error, clean_name, clean_note, clean_tags, finite_or_none, to_json
from evalcore.runs.diagnosis import BUSY_TIMEOUT_MS, store_error
from evalcore.runs.entities import Artifact, Point, Run, RunRecord, Series, SeriesSummary, downsample
from evalcore.runs.rows import decode_run, number
from evalcore.runs.statuses import ACTIVE, KINDS, LOST, QUEUED

STORE_FILE = "runs.sqlite"
REPLACED_CHECK_S = 1.0  # how often a kept connection checks that its file was not replaced (by a recovery)
SCHEME = "sqlite:///"

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
    # v3: where a run executes: its executor (local, ray) and the machine or Ray node working on it
    """
    ALTER TABLE runs ADD COLUMN executor TEXT NOT NULL DEFAULT 'local';
    ALTER TABLE runs ADD COLUMN node TEXT NOT NULL DEFAULT '';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

class SqliteRunStore:
    """The run store in one SQLite file, ``runs.sqlite`` in ``folder`` (see the module's description).

    Each call opens its own connection (Streamlit runs each session on its own thread), except the worker's
    frequent ones, which reuse one per thread.
    """

    def __init__(self, folder: str | os.PathLike | None = None, *, file_name: str = STORE_FILE):
        self.folder = Path(home() if folder is None else folder).absolute()
        self.path = self.folder / file_name
        self._local = threading.local()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_error(exc, self.folder) from exc
        with self.connection() as con:
            self._migrate(con)

    @property
    def uri(self) -> str:
        return f"{SCHEME}{self.path}"

    def process_environment(self) -> dict[str, str]:
        """Nothing: the file's address opens it."""
        return {}

    # ------------------------------------------------------------------ connections and schema (SQLite only)

    def _connect(self, any_thread: bool = False) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                  check_same_thread=not any_thread)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise store_error(exc, self.path) from exc
        with self._errors():
            try:
                con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                con.execute("PRAGMA journal_mode = WAL")
                con.execute("PRAGMA synchronous = FULL")
                con.execute("PRAGMA foreign_keys = ON")
            except BaseException:
                con.close()
                raise
        return con

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors become a :class:`StoreError` naming this store; our own misuse stays a bug."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # our own code broke a constraint or misused the API: a bug, not the store's state
        except sqlite3.DatabaseError as exc:
            raise store_error(exc, self.path) from exc

    @contextmanager
    def connection(self, any_thread: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection with the store's pragmas, closed after the block (SQLite only: maintenance, tests)."""
        con = self._connect(any_thread)
        try:
            with self._errors():
                yield con
        finally:
            con.close()

    @contextmanager
    def _hot(self) -> Iterator[sqlite3.Connection]:
        """This thread's kept connection, for the worker's frequent calls (reopened if the file was replaced,
        e.g. by a recovery: looked at no more than once a second, as the stop flag is read before every batch)."""
        kept = getattr(self._local, "kept", None)
        now = time.monotonic()
        if kept is None or now - kept.seen > REPLACED_CHECK_S:
            try:
                inode = os.stat(self.path).st_ino
            except OSError as exc:
                raise store_error(exc, self.path) from exc
            if kept is None or kept.inode != inode:
                kept = self._local.kept = _Kept(inode, self._connect(any_thread=True))  # the old one closes
            kept.seen = now
        with self._errors():
            yield kept.con

    @contextmanager
    def _write(self, con: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
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
                             f"{version} in {self.path}. Fix: upgrade evalcore, or point EVALCORE_HOME (or EVALCORE_STORE) at another "
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

    def create_run(self, name: str, kind: str, config: dict, status: str = QUEUED, executor: str = "local") -> int:
        if kind not in KINDS:
            raise input_error(f"a run kind among {', '.join(KINDS)}", f"'{kind}'", "use one of those kinds")
        with self._write() as con:
            cur = con.execute("INSERT INTO runs (name, kind, status, config, created, executor) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (clean_name(name), kind, status, to_json(config), time.time(), executor))
            return int(cur.lastrowid or 0)

    def set_status(self, run_id: int, status: str, *, error: str | None = None, pid: int | None = None) -> None:
        with self._write() as con:
            con.execute(*statements.status_update(status, now=time.time(), error=clean_error(error), pid=pid,
                                                  run_id=run_id))

    def finish(self, run_id: int, status: str, summary: dict) -> None:
        """End a run in one transaction: its summary and its final status appear together."""
        statement = statements.finish_update(status, to_json(summary), now=time.time(), run_id=run_id)
        with self._write() as con:
            con.execute(*statement)

    def set_pid(self, run_id: int, pid: int, node: str | None = None) -> None:
        with self._write() as con:
            con.execute(*statements.pid_update(pid, node, run_id))

    def set_summary(self, run_id: int, summary: dict) -> None:
        """Replace a run's summary (SQLite only: test stores)."""
        with self._write() as con:
            con.execute("UPDATE runs SET summary = ? WHERE id = ?", (to_json(summary), run_id))

    def mark_lost(self, run_ids: Iterable[int], error: str) -> list[int]:
        ids = [int(i) for i in run_ids]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        with self._write() as con:
            lost = [r[0] for r in con.execute(f"SELECT id FROM runs WHERE id IN ({marks}) AND status IN (?, ?)",
                                              (*ids, *ACTIVE))]
            con.executemany("UPDATE runs SET status = ?, ended = COALESCE(heartbeat, ?), error = COALESCE(error, ?) "
                            "WHERE id = ?", [(LOST, time.time(), clean_error(error), run_id) for run_id in lost])
        return lost

    def runs(self, kind: str | None = None, statuses: Sequence[str] | None = None) -> list[Run]:
        """All runs (of a kind, with one of ``statuses``), newest first."""
        where, args = [], []
        if kind:
            where.append("kind = ?")
            args.append(kind)
        if statuses is not None:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            args += list(statuses)
        sql = "SELECT * FROM runs" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id DESC"
        with self.connection() as con:
            cur = con.execute(sql, args)
            return [_run(cur.description, row) for row in cur.fetchall()]

    def run(self, run_id: int) -> Run:
        with self.connection() as con:
            cur = con.execute("SELECT * FROM runs WHERE id = ?", (run_id,))
            row = cur.fetchone()
        if row is None:
            raise input_error("an existing run id", f"no run {run_id} in {self.path}",
                              "list the runs with `python -m evalcore runs`")
        return _run(cur.description, row)

    # ------------------------------------------------------------------ control

    def heartbeat(self, run_id: int) -> None:
        with self._hot() as con, self._write(con):
            con.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (time.time(), run_id))

    def request_stop(self, run_id: int) -> None:
        with self._write() as con:
            con.execute("UPDATE runs SET stop_requested = 1 WHERE id = ?", (run_id,))

    def stop_requested(self, run_id: int) -> bool:
        with self._hot() as con:
            row = con.execute("SELECT stop_requested FROM runs WHERE id = ?", (run_id,)).fetchone()
        return bool(row and row[0])

    # ------------------------------------------------------------------ points

    def log_points(self, run_id: int, points: Sequence[Point]) -> None:
        if not points:
            return
        rows = [(run_id, p.key, int(p.step), int(p.epoch), finite_or_none(p.value), p.wall) for p in points]
        with self._hot() as con, self._write(con):
            con.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, ?, ?, ?, ?, ?)",
                            rows)

    def series(self, run_id: int, keys: Sequence[str] | None = None,
               max_points: int | None = None) -> dict[str, Series]:
        """Every logged metric of a run (or the given keys), each in step order. A point whose stored value is
        not a number (a damaged row) reads as NaN."""
        with self.connection() as con:
            sql = "SELECT key, step, epoch, value, wall FROM points WHERE run_id = ?"
            args: list = [run_id]
            if keys:
                sql += f" AND key IN ({', '.join('?' * len(keys))})"
                args += list(keys)
            rows = con.execute(sql + " ORDER BY key, step, rowid", args).fetchall()
        return {key: downsample(s, max_points) for key, s in _series_of(rows).items()}

    def series_summaries(self, keys: Sequence[str]) -> dict[tuple[int, str], SeriesSummary]:
        """(run, key) -> lowest, highest, last value and count over every run, in one query."""
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        with self.connection() as con:
            rows = con.execute(
                f"SELECT p.run_id, p.key, MIN(p.value), MAX(p.value), COUNT(*), "
                f"(SELECT q.value FROM points q WHERE q.run_id = p.run_id AND q.key = p.key "
                f" ORDER BY q.step DESC LIMIT 1) "
                f"FROM points p WHERE p.key IN ({marks}) GROUP BY p.run_id, p.key", tuple(keys)).fetchall()
        return {(r[0], r[1]): SeriesSummary(number(r[2]), number(r[3]), number(r[5]), int(r[4])) for r in rows}

    # ------------------------------------------------------------------ artifacts

    def _run_folder(self, run_id: int) -> Path:
        return self.folder / "runs" / str(int(run_id))

    def put_artifact(self, run_id: int, name: str, data: bytes | BinaryIO, file_name: str | None = None) -> None:
        """Write the file to ``runs/<id>/<file name>`` (via a temporary file: never half a file), then record it."""
        file_name = _plain_file_name(file_name or name)
        folder = self._run_folder(run_id)
        target = folder / file_name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not _is_file(data, target):
                _write_atomically(folder, target, data)
        except OSError as exc:
            raise store_error(exc, target) from exc
        with self._write() as con:
            con.execute("INSERT OR REPLACE INTO artifacts (run_id, name, path) VALUES (?, ?, ?)",
                        (run_id, name, str(target)))

    def _artifact_paths(self, run_id: int) -> dict[str, Path]:
        with self.connection() as con:
            rows = con.execute("SELECT name, path FROM artifacts WHERE run_id = ?", (run_id,)).fetchall()
        return {str(name): Path(str(path)) for name, path in rows}

    def artifacts(self, run_id: int) -> dict[str, Artifact]:
        return {name: _artifact(name, path) for name, path in self._artifact_paths(run_id).items()}

    def open_artifact(self, run_id: int, name: str) -> BinaryIO:
        path = self._artifact_paths(run_id).get(name)
        if path is None:
            raise input_error(f"a stored {name} file for run #{run_id}", "none", "pick a run that has one")
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise input_error(f"the run's {name} file at {path}", "no such file", "its folder was moved or "
                              "deleted; train the run again, or restore the folder") from None
        except OSError as exc:
            raise store_error(exc, path) from exc

    # ------------------------------------------------------------------ the user's changes, imports

    def edit(self, run_id: int, *, name: str | None = None, tags: Iterable[str] | None = None,
             note: str | None = None) -> None:
        """Change a run's name, tags and note (only those given) in one transaction."""
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = clean_name(name)
            if not changes["name"]:
                raise input_error("a run name", "an empty name", "type a name")
        if tags is not None:
            changes["tags"] = json.dumps(clean_tags(tags))
        if note is not None:
            changes["note"] = clean_note(note)
        if changes:
            with self._write() as con:
                con.execute(f"UPDATE runs SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                            (*changes.values(), run_id))

    def rename(self, run_id: int, name: str) -> None:
        self.edit(run_id, name=name)

    def set_tags(self, run_id: int, tags: Iterable[str]) -> None:
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
        folder = self._run_folder(run_id)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    def add_runs(self, records: Sequence[RunRecord]) -> list[int]:
        """Write whole runs (row, points) in one transaction: all of them or, on any failure, none."""
        try:
            with self._write() as con:
                return [_insert_record(con, r) for r in records]
        except sqlite3.IntegrityError:  # a kept id that is taken (a recovery into a store that is not empty)
            taken = ", ".join(f"#{r.id}" for r in records if r.id is not None)[:200]
            raise input_error("runs with ids not in the store yet", f"ids already taken among {taken}",
                              "import the runs with new ids (leave the ids out)") from None


class _Kept:
    """A thread's kept connection, closed when the thread ends or the store goes (a connection is only freed by
    the garbage collector otherwise, and keeps the -wal file meanwhile)."""

    def __init__(self, inode: int, con: sqlite3.Connection):
        self.inode, self.con = inode, con
        self.seen = time.monotonic()  # when the file was last seen to be this one

    def __del__(self) -> None:
        self.con.close()


def _insert_record(con: sqlite3.Connection, r: RunRecord) -> int:
    cur = con.execute(
        "INSERT INTO runs (id, name, kind, status, config, created, started, ended, error, summary, "
        "tags, note, executor, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (r.id, clean_name(r.name), r.kind, r.status, to_json(r.config), r.created, r.started,
         r.ended, r.error, to_json(r.summary), json.dumps(clean_tags(r.tags)), r.note, r.executor, r.node))
    run_id = int(cur.lastrowid or 0)
    for key, s in r.series.items():
        values = [None if v != v else v for v in s.values.tolist()]  # NaN is stored as NULL
        con.executemany("INSERT INTO points (run_id, key, step, epoch, value, wall) VALUES (?, ?, ?, ?, ?, ?)",
                        zip([run_id] * len(values), [key] * len(values), s.steps.tolist(), s.epochs.tolist(),
                            values, s.walls.tolist()))
    con.executemany("INSERT INTO artifacts (run_id, name, path) VALUES (?, ?, ?)",
                    [(run_id, name, path) for name, path in r.artifacts.items()])
    return run_id


def _series_of(rows: list) -> dict[str, Series]:
    """Rows (key, step, epoch, value, wall) in key and step order as one Series per key; a point without a
    usable step or epoch (a damaged row) is left out, a value that is not a number reads as NaN."""
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
            if len(block):
                out[names[start]] = Series(block[:, 0].astype(np.int64), block[:, 1].astype(np.int64),
                                           block[:, 2], block[:, 3])
            start = i
    return out


def _plain_file_name(name: str) -> str:
    """A file name without a folder in it (an artifact never escapes its run's folder).

    >>> _plain_file_name("predictions.csv")
    'predictions.csv'
    """
    name = str(name)
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise input_error("an artifact file name without a folder", repr(name)[:80], "give a plain file name")
    return name


def _is_file(data: bytes | BinaryIO, target: Path) -> bool:
    """``data`` is a stream of the target file itself (the local executor wrote it in place)."""
    source = getattr(data, "name", None)
    return isinstance(source, (str, os.PathLike)) and Path(source).absolute() == target.absolute()


def _write_atomically(folder: Path, target: Path, data: bytes | BinaryIO) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, (bytes, bytearray, memoryview)):
                out.write(data)
            else:
                shutil.copyfileobj(data, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _artifact(name: str, path: Path) -> Artifact:
    try:
        stat = path.stat()
        return Artifact(name, path.name, stat.st_size, stat.st_mtime)
    except OSError:  # moved or deleted: listed, and opening it says so
        return Artifact(name, path.name, None, None)


def _run(description, row) -> Run:
    return decode_run(dict(zip([c[0] for c in description], row)))


def location(rest: str) -> tuple[Path, str]:
    """(folder, file name) of an address after ``sqlite://``: a slash, then a file (``runs.sqlite``) or a folder
    (its ``runs.sqlite``), relative or absolute (``sqlite:////abs/runs.sqlite``, as SQLAlchemy writes it). A path
    that is an existing folder is a folder, whatever its name (``/tmp/tmp.x1y2``).

    >>> location("/relative/folder"), location("/relative/runs.sqlite")
    ((PosixPath('relative/folder'), 'runs.sqlite'), (PosixPath('relative'), 'runs.sqlite'))
    >>> location("relative/runs.sqlite")
    Traceback (most recent call last):
    ...
    evalcore.errors.InputError: Expected a SQLite address such as sqlite:///path/to/runs.sqlite (three slashes), found 'sqlite://relative/runs.sqlite'. Fix: write sqlite:/// then the file's path.
    """
    if not rest.startswith("/"):
        raise input_error("a SQLite address such as sqlite:///path/to/runs.sqlite (three slashes)",
                          f"'sqlite://{rest[:200]}'", "write sqlite:/// then the file's path")
    path = Path(rest[1:])
    return (path, STORE_FILE) if path.is_dir() or not path.suffix else (path.parent, path.name)


def open_address(rest: str) -> SqliteRunStore:
    """The store of an address after ``sqlite://`` (:func:`location`); :func:`evalcore.runs.backends.open_store`
    calls it."""
    folder, file_name = location(rest)
    return SqliteRunStore(folder, file_name=file_name)


def open_folder(folder: str | os.PathLike) -> SqliteRunStore:
    """The store of a folder path (its ``runs.sqlite``), whatever the folder's name."""
    return SqliteRunStore(folder)
