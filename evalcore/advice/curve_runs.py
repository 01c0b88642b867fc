"""A learning curve's runs: the run's settings at 10, 25, 50 and 100% of its training rows over seeds, queued as
one group through the executor, and their test errors by size for :mod:`evalcore.advice.learning_curve`.

Example:
    >>> from evalcore.runs.rows import decode_run
    >>> errors_by_size([decode_run({"id": 1, "config": '{"train_size": 50}', "summary": '{"accuracy": 0.8}'})])
    {50: [0.19999999999999996]}
"""

from __future__ import annotations

from evalcore.advice.learning_curve import sizes
from evalcore.errors import input_error
from evalcore.runs import Run, RunStore
from evalcore.training import ablation
from evalcore.training.config import TrainConfig
from evalcore.training.executor import Request


CURVE_KEY = "curve_for"  # in a learning curve's runs' group entry: the run it was drawn for


def start_curve(store: RunStore, run_id: int, seeds: int = 2, request: Request | None = None) -> str:
    """Queue the run's settings at each of :func:`sizes` of its training rows over ``seeds`` seeds; returns the
    group. The run's summary says how many training rows it had."""
    run = store.run(run_id)
    rows = run.summary.get("train_rows")
    if not isinstance(rows, int) or isinstance(rows, bool):
        raise input_error("a finished training run (its summary has its training rows)", f"run #{run_id}",
                          "train the run to the end first")
    config = TrainConfig.from_dict(run.config)
    plan = [(f"{n} rows", config.replace(train_size=n)) for n in sizes(rows)]
    return ablation.start_variants(plan, store, seeds, request, label="learning curve",
                                   extra={CURVE_KEY: run_id})


def curves_for(store: RunStore, run_id: int, runs: list[Run] | None = None) -> list[str]:
    """The learning curves drawn for a run, newest first."""
    return list(ablation.groups_tagged(store, CURVE_KEY, run_id, runs))


def errors_by_size(runs: list[Run]) -> dict[int, list[float]]:
    """Test error (1 - accuracy) per training-set size, one value per finished seed."""
    out: dict[int, list[float]] = {}
    for r in runs:
        rows, accuracy = r.config.get("train_size"), r.summary.get("accuracy")
        if isinstance(rows, int) and isinstance(accuracy, (int, float)):
            out.setdefault(rows, []).append(1 - float(accuracy))
    return dict(sorted(out.items()))
