"""What every store backend writes, cleaned the same way: names, tags and notes on one line and within their
caps, settings and summaries as JSON without NaN, and NaN point values as null.

Example:
    >>> clean_name("  my\\x1b[31m  run "), clean_tags([" b ", "a", "", "a"]), to_json({"x": float("nan")})
    ('my[31m run', ['a', 'b'], '{"x": null}')
"""

from __future__ import annotations

import json
import math

from evalcore import limits
from evalcore.runs.rows import json_safe


def one_line(text) -> str:
    """Text on one line: whitespace runs become one space, control characters (a terminal's escape codes) go.

    >>> one_line("  a\\x1b[31m  b ")
    'a[31m b'
    """
    return " ".join("".join(c for c in str(text) if c.isprintable() or c.isspace()).split())


def clean_name(name) -> str:
    """A run name on one line, at most RUN_NAME_CHARS characters."""
    return one_line(name)[:limits.RUN_NAME_CHARS]


def clean_tags(tags) -> list[str]:
    """Tags on one line each, cut to RUN_TAG_CHARS, without blanks or duplicates, at most RUN_TAGS, sorted.

    >>> clean_tags([" b ", "a", "", "a"])
    ['a', 'b']
    """
    clean = sorted({one_line(t)[:limits.RUN_TAG_CHARS] for t in tags} - {""})
    return clean[:limits.RUN_TAGS]


def clean_note(note) -> str:
    """A note (several lines allowed), cut to RUN_NOTE_CHARS."""
    return str(note)[:limits.RUN_NOTE_CHARS]


def clean_error(error) -> str | None:
    """A run's error message, cut to RUN_ERROR_CHARS (None stays None)."""
    return None if error is None else str(error)[:limits.RUN_ERROR_CHARS]


def to_json(value) -> str:
    """A config or summary as JSON text; NaN and infinity become null (JSON has neither, and readers of the
    file would refuse them)."""
    return json.dumps(json_safe(value), allow_nan=False)


def finite_or_none(value) -> float | None:
    """A point's value to store: NaN and infinity are stored as null and read back as NaN.

    >>> finite_or_none(0.5), finite_or_none(float("nan"))
    (0.5, None)
    """
    value = float(value)
    return value if math.isfinite(value) else None
