"""User-safe errors.

Every failure a person at the screen can cause is an :class:`InputError` whose
message says what was expected, what was found, and how to fix it.

Example:
    >>> err = input_error("a column named y_true", "no such column", "rename your label column to y_true")
    >>> str(err)
    'Expected a column named y_true, found no such column. Fix: rename your label column to y_true.'
"""

from __future__ import annotations


class EvalcoreError(Exception):
    """Base class of every error evalcore raises on purpose."""


class InputError(EvalcoreError, ValueError):
    """Bad input from the user: the message is safe and useful to show as is."""


class StoreError(InputError):
    """The run store cannot be used (damaged file, read-only folder, full disk): the message names the file
    and what to do. Pages that do not need the store (Evaluate) keep working."""


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined for this input and was replaced by a policy value."""


def input_error(expected: str, found: str, fix: str) -> InputError:
    """Build an InputError from the project's one message template."""
    return InputError(f"Expected {expected}, found {found}. Fix: {fix}.")


def preview(items, limit: int = 5) -> str:
    """Show the first few items of a collection for an error message.

    >>> preview([3, 9, 12, 40, 41, 42, 43])
    '3, 9, 12, 40, 41 (and 2 more)'
    """
    items = list(items)
    shown = ", ".join(str(x) for x in items[:limit])
    if len(items) > limit:
        shown += f" (and {len(items) - limit} more)"
    return shown


def rows_text(rows, limit: int = 5, total: int | None = None) -> str:
    """1-based row numbers for a message, singular or plural; ``total`` counts rows not passed in.

    >>> rows_text([6]), rows_text([6, 9]), rows_text(range(1, 8)), rows_text([2, 4], total=10)
    ('row 6', 'rows 6, 9', 'rows 1, 2, 3, 4, 5 (and 2 more)', 'rows 2, 4 (and 8 more)')
    """
    if not hasattr(rows, "__getitem__") or not hasattr(rows, "__len__"):
        rows = list(rows)
    count = len(rows) if total is None else max(total, len(rows))
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    more = count - min(len(rows), limit)
    return ("row " if count == 1 else "rows ") + shown + (f" (and {more:,} more)" if more > 0 else "")
