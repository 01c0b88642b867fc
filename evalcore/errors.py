"""User-safe errors.

Every failure a person at the screen can cause is an :class:`InputError` whose
message says what was expected, what was found, and how to fix it.

Example:
    >>> err = input_error("a column named y_true", "no such column", "rename your label column to y_true")
    >>> str(err)
    'Expected a column named y_true, found no such column. Fix: rename your label column to y_true.'
"""

from __future__ import annotations

import threading
import warnings

_LAZY = threading.Lock()


class EvalcoreError(Exception):
    """Base class of every error evalcore raises on purpose."""


class InputError(EvalcoreError, ValueError):
    """Bad input from the user: the message is safe and useful to show as is."""


class StoreError(InputError):
    """The run store cannot be used (damaged file, read-only folder, full disk): the message names the file
    and what to do. Pages that do not need the store (Evaluate) keep working."""


class InputTypeError(InputError, TypeError):
    """Bad input of a kind scikit-learn refuses with TypeError (labels given as bytes)."""


class InputNotImplementedError(InputError, NotImplementedError):
    """A combination of arguments scikit-learn refuses with NotImplementedError (ovo ROC AUC per class)."""


def __getattr__(name: str):
    """PEP 562: ``UndefinedMetricWarning`` is built on first use, so importing evalcore never imports scikit-learn
    (~0.6 s). The metrics ask for it only when they warn."""
    if name == "UndefinedMetricWarning":
        with _LAZY:  # one class even when two threads warn first at once
            if name not in globals():
                globals()[name] = _undefined_metric_warning()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _undefined_metric_warning() -> type:
    try:
        from sklearn.exceptions import UndefinedMetricWarning as base
    except ImportError:  # scikit-learn is a runtime requirement; without it no filter can name its class
        base = UserWarning

    class UndefinedMetricWarning(base):
        """A metric is ill-defined for this input and was replaced by a policy value.

        A subclass of scikit-learn's UndefinedMetricWarning, so filters written for scikit-learn apply.
        """

    UndefinedMetricWarning.__module__ = __name__
    UndefinedMetricWarning.__qualname__ = "UndefinedMetricWarning"  # pickles as evalcore.errors.UndefinedMetricWarning
    return UndefinedMetricWarning


def warn_undefined_metric(message: str, stacklevel: int = 1) -> None:
    """Warn with :class:`UndefinedMetricWarning`; ``stacklevel`` counts from the caller, as in warnings.warn.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_undefined_metric("Recall is ill-defined")
    >>> seen[0].category.__name__, str(seen[0].message)
    ('UndefinedMetricWarning', 'Recall is ill-defined')
    """
    category = globals().get("UndefinedMetricWarning") or __getattr__("UndefinedMetricWarning")
    warnings.warn(message, category, stacklevel=stacklevel + 1)


def __dir__() -> list[str]:
    return sorted([*globals(), "UndefinedMetricWarning"])


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
