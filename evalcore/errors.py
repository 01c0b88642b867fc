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
