"""A stored run row, decoded field by field so that one bad field never makes a run unreadable.

A field that cannot be decoded (JSON that does not parse, a time that is text, a summary that is a list) is
replaced by an empty value, and the problem is listed in :attr:`Run.problems`, so every reader can still show
the run, mark the bad field, and let the user fix or delete it.

Example:
    >>> run = decode_run({"id": 7, "name": "r", "kind": "train", "status": "finished", "config": "{oops",
    ...                   "created": "yesterday", "summary": "[1, 2]"})
    >>> run.config, run.created, run.summary
    ({}, None, {})
    >>> run.problems
    ('config: not valid JSON', "created: 'yesterday' is not a time", 'summary: a list, not a table of values')
"""

from __future__ import annotations

import json
import math

from evalcore.runs.entities import Run
from evalcore.runs.statuses import KINDS, LOST, STATUSES

from evalcore.runs.summary import upgrade_summary

MAX_TIME = 1e11  # seconds since 1970 (the year 5138): anything larger is not a time


def is_time(value) -> bool:
    """A number of seconds since 1970 that a clock can show.

    >>> is_time(1.7e9), is_time(1e308), is_time(float("nan")), is_time("1.7e9"), is_time(True), is_time(10**400)
    (True, False, False, False, False, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_TIME  # NaN: False


def short(value, limit: int = 40) -> str:
    """A value for a problem description, cut to ``limit`` characters.

    >>> short("x" * 100, 10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def decode_run(row: dict) -> Run:
    """A :class:`Run` from a row of the ``runs`` table (column name -> stored value)."""
    fields = _Fields(row)
    kind = fields.member("kind", "train", KINDS, f"one of {', '.join(KINDS)}")
    status = fields.member("status", LOST, STATUSES, "a known status")
    pid, tags = fields.pid(), fields.tags()
    run = dict(
        id=int(row["id"]), name=fields.text("name", ""), kind=kind, status=status,
        config=fields.decoded("config", dict, {}), created=fields.moment("created"),
        started=fields.moment("started"), ended=fields.moment("ended"), heartbeat=fields.moment("heartbeat"),
        pid=pid, error=fields.text("error", None), stop_requested=fields.flag("stop_requested"),
        summary=upgrade_summary(fields.decoded("summary", dict, {})), tags=tags, note=fields.text("note", ""),
        executor=fields.text("executor", "local") or "local", node=fields.text("node", "") or "")
    return Run(**run, problems=tuple(fields.problems))


class _Fields:
    """The fields of one stored row, each decoded on its own; what could not be is listed in ``problems``."""

    def __init__(self, row: dict):
        self.row = row
        self.problems: list[str] = []

    def text(self, name: str, default):
        value = self.row.get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problems.append(f"{name}: {short(value)} is not text")
            return str(value)
        return value

    def member(self, name: str, default: str, allowed: tuple[str, ...], wanted: str) -> str:
        value = self.text(name, default)
        if value not in allowed:
            self.problems.append(f"{name}: {short(value)} is not {wanted}")
        return value

    def decoded(self, name: str, kind: type, empty):
        raw = self.row.get(name)
        if raw is None:
            return empty
        try:
            value = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        except ValueError:
            self.problems.append(f"{name}: not valid JSON")
            return empty
        if not isinstance(value, kind):
            wanted = "a table of values" if kind is dict else "a list"
            self.problems.append(f"{name}: {_kind_of(value)}, not {wanted}")
            return empty
        return value

    def moment(self, name: str) -> float | None:
        value = self.row.get(name)
        if value is None:
            if name == "created":
                self.problems.append("created: missing")
            return None
        if not is_time(value):
            self.problems.append(f"{name}: {short(value)} is not a time")
            return None
        return float(value)

    def pid(self) -> int | None:
        pid = self.row.get("pid")
        if pid is not None and not (isinstance(pid, int) and 0 < pid < 2**31):
            self.problems.append(f"pid: {short(pid)} is not a process id")
            return None
        return pid

    def flag(self, name: str) -> bool:
        value = self.row.get(name)
        return bool(value) if isinstance(value, int) else False

    def tags(self) -> tuple[str, ...]:
        tags = self.decoded("tags", list, [])
        if not all(isinstance(t, str) for t in tags):
            self.problems.append("tags: not all text")
            tags = [str(t) for t in tags]
        return tuple(tags)


def _kind_of(value) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "null" if value is None else type(value).__name__


def number(value) -> float:
    """A stored value as a float for tables and charts: NaN unless it is a finite number (a damaged row may hold
    text, a bool, or an integer too large for a float).

    >>> number(0.5), number("0.5"), number(None), number(True), number(1e400), number(10**400)
    (0.5, nan, nan, nan, nan, nan)
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return float("nan")
    try:
        value = float(value)
    except OverflowError:
        return float("nan")
    return value if math.isfinite(value) else float("nan")


def group(config: dict, name: str) -> dict:
    """A settings group of a config (``{"dropout": {...}}``), or ``{}`` if it is missing or not a group.

    >>> group({"dropout": {"rate": 0.5}}, "dropout"), group({"dropout": 5}, "dropout")
    ({'rate': 0.5}, {})
    """
    value = config.get(name) if isinstance(config, dict) else None
    return value if isinstance(value, dict) else {}


def json_safe(value):
    """Settings and summaries that JSON can hold: NaN and infinity become null (JSON has neither).

    >>> json_safe({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
