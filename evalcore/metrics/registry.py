"""The metric registry: each dashboard metric is one spec in one module of :mod:`evalcore.metrics.catalog`.

A spec says what the metric is (id, label, definition, whether higher is better, the tasks it applies to), how
its interval is computed, and ``compute(state)``: from the confusion-matrix counts (``counts``), the per-class
ranking results of the one score sort (``ranking``), per-row losses (``row_loss``) or the regression targets
(``regression``). The report, slices, exports, run summaries and the CLI iterate over :func:`all_specs`.

Adding a metric is one new module in ``evalcore/metrics/catalog/`` that defines ``SPEC``, plus its test: the
catalog is discovered with :mod:`pkgutil`, no list to edit.

Example:
    >>> spec("roc_auc").label, spec("log_loss").higher_is_better
    ('ROC AUC', False)
    >>> [s.id for s in specs_for("regression")]
    ['mse', 'rmse', 'mae', 'r2']
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from evalcore.metrics._intervals import Interval  # noqa: F401  (value, low, high, how: what compute returns)

COUNTS, RANKING, ROW_LOSS, REGRESSION = "counts", "ranking", "row_loss", "regression"
KINDS = (COUNTS, RANKING, ROW_LOSS, REGRESSION)
CLASSIFICATION = frozenset({"binary", "multiclass"})
TASKS = CLASSIFICATION | {"regression"}



@dataclass(frozen=True)
class MetricSpec:
    """One dashboard metric.

    Attributes:
        id: stable snake_case key (report, exports, run summaries).
        label: the display string ("ROC AUC").
        definition: the text shown next to the value; ``{which}`` becomes "for the positive class 'x'" or
            "macro average over classes", ``{ovr}`` "." or ", one-vs-rest, macro average.".
        higher_is_better: whether a larger value is a better model.
        tasks: the tasks it is reported for ("binary", "multiclass", "regression").
        kind: the state ``compute`` takes: counts, ranking, row_loss or regression.
        interval: how its confidence interval is computed, in words.
        compute: counts -> values of shape (B,) from a :class:`~evalcore.metrics._counts.CountState`;
            ranking -> an :data:`Interval` (or None when undefined) from a ``RankingState``;
            row_loss -> one loss per row from a ``ProbabilityState``; regression -> an :data:`Interval`.
        order: position in the report (smaller first).
        definition_multiclass: a different text for multiclass tasks, if any.
        in_slices: shown per group in the slices table.
    """

    id: str
    label: str
    definition: str
    higher_is_better: bool
    tasks: frozenset[str]
    kind: str
    interval: str
    compute: Callable[[Any], Any]
    order: int
    definition_multiclass: str = ""
    in_slices: bool = False

    def describe(self, average: str = "binary", pos_label: str | None = None) -> str:
        """The definition for a report's averaging ('binary' with its positive label, or 'macro').

        >>> spec("precision").describe("binary", "yes")
        "TP / (TP + FP), for the positive class 'yes'; 0 when nothing is predicted positive."
        """
        binary = average == "binary"
        text = self.definition_multiclass if self.definition_multiclass and not binary else self.definition
        which = f"for the positive class '{pos_label}'" if binary else "macro average over classes"
        ovr = "." if binary else ", one-vs-rest, macro average."
        return text.replace("{which}", which).replace("{ovr}", ovr)


@cache
def all_specs() -> tuple[MetricSpec, ...]:
    """Every spec of the catalog, in report order (discovered: one module per metric, each with ``SPEC``)."""
    from evalcore.metrics import catalog
    found = []
    for info in pkgutil.iter_modules(catalog.__path__):
        module = importlib.import_module(f"{catalog.__name__}.{info.name}")
        if isinstance(getattr(module, "SPEC", None), MetricSpec):
            found.append(module.SPEC)
    return tuple(sorted(found, key=lambda s: (s.order, s.id)))


def spec(metric_id: str) -> MetricSpec:
    """The spec of an id; KeyError names the known ids."""
    for s in all_specs():
        if s.id == metric_id:
            return s
    raise KeyError(f"no metric {metric_id!r}; known: {', '.join(s.id for s in all_specs())}")


def specs_for(task: str, kind: str | None = None) -> tuple[MetricSpec, ...]:
    """The specs reported for a task ('binary', 'multiclass', 'regression'), optionally of one kind."""
    return tuple(s for s in all_specs() if task in s.tasks and (kind is None or s.kind == kind))


def slug(label: str) -> str:
    """The key older versions derived from a display label ('ROC AUC' -> 'roc_auc', 'R²' -> 'r2').

    >>> slug("Balanced accuracy"), slug("R²")
    ('balanced_accuracy', 'r2')
    """
    return label.lower().replace(" ", "_").replace("²", "2")


def id_of(key: str) -> str | None:
    """The id of a metric named by its id, its display label or the slug of its label; None if unknown.

    >>> id_of("ROC AUC"), id_of("roc_auc"), id_of("Brier score"), id_of("epochs_done")
    ('roc_auc', 'roc_auc', 'brier_score', None)
    """
    for s in all_specs():
        if key in (s.id, s.label, slug(s.label)):
            return s.id
    return None


def label_of(metric_id: str) -> str:
    """The display label of an id, or the id itself if it is not (or no longer) in the registry.

    >>> label_of("r2"), label_of("no_such_metric")
    ('R²', 'no_such_metric')
    """
    try:
        return spec(metric_id).label
    except KeyError:
        return metric_id
