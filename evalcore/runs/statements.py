"""The run-table statements both SQL backends speak, decided once: which columns a status change sets, and how a
run is finished. Written with ``?`` placeholders (SQLite); :func:`for_psycopg` gives PostgreSQL's ``%s``.

Example:
    >>> sql, args = status_update("finished", now=5.0, error=None, pid=None, run_id=7)
    >>> sql, args
    ('UPDATE runs SET status = ?, ended = ?, error = COALESCE(?, error) WHERE id = ?', ('finished', 5.0, None, 7))
    >>> for_psycopg((sql, args))[0]
    'UPDATE runs SET status = %s, ended = %s, error = COALESCE(%s, error) WHERE id = %s'
"""

from __future__ import annotations

from evalcore.errors import input_error
from evalcore.runs.statuses import ENDED, RUNNING

Statement = tuple[str, tuple]


def status_update(status: str, *, now: float, error: str | None, pid: int | None, run_id: int) -> Statement:
    """A run's new status: running stamps its start and heartbeat, an end stamps its end (and keeps an error)."""
    if status == RUNNING:
        return ("UPDATE runs SET status = ?, started = COALESCE(started, ?), heartbeat = ?, pid = COALESCE(?, pid) "
                "WHERE id = ?", (status, now, now, pid, run_id))
    if status in ENDED:
        return "UPDATE runs SET status = ?, ended = ?, error = COALESCE(?, error) WHERE id = ?", (status, now, error,
                                                                                                  run_id)
    return "UPDATE runs SET status = ?, pid = COALESCE(?, pid) WHERE id = ?", (status, pid, run_id)


def finish_update(status: str, summary_json: str, *, now: float, run_id: int) -> Statement:
    """A run's summary and final status together; a status that is not final is an InputError."""
    if status not in ENDED:
        raise input_error(f"a final status among {', '.join(ENDED)}", f"'{status}'", "use one of those")
    return "UPDATE runs SET summary = ?, status = ?, ended = ? WHERE id = ?", (summary_json, status, now, run_id)


def pid_update(pid: int, node: str | None, run_id: int) -> Statement:
    """The process working on a run, and the machine or Ray node it runs on (kept when ``node`` is None)."""
    return "UPDATE runs SET pid = ?, node = COALESCE(?, node) WHERE id = ?", (pid, node, run_id)


def for_psycopg(statement: Statement) -> Statement:
    """The same statement with psycopg's ``%s`` placeholders (none of these statements holds a literal ``?``)."""
    sql, args = statement
    return sql.replace("?", "%s"), args
