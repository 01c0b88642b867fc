"""The dashboard metrics, one module per metric, each defining ``SPEC`` (a
:class:`evalcore.metrics.registry.MetricSpec`). Discovered by :func:`evalcore.metrics.registry.all_specs`:
adding a module here adds the metric to the report, the slices (``in_slices=True``), the JSON/CSV exports, the
run summaries, the CLI's table and the Evaluate page's tiles.

Adding a metric (say specificity, a count metric):

1. ``evalcore/metrics/catalog/specificity.py``: a ``compute(state: CountState) -> np.ndarray`` over the batch
   (add a method to :class:`~evalcore.metrics._counts.CountState` only if other metrics share the arithmetic),
   and ``SPEC = MetricSpec(id="specificity", label="Specificity", definition="TN / (TN + FP), {which}.",
   higher_is_better=True, tasks=CLASSIFICATION, kind=COUNTS, interval=..., compute=compute, order=65)``;
   a doctest on a small matrix.
2. ``tests/unit/test_metric_registry.py``: its scikit-learn (or hand-worked) reference in ``COUNT_ORACLES``
   (the registry test fails until it is there).

A ranking metric computes from a ``RankingState``, a per-row loss from a ``ProbabilityState``, a regression
metric from a ``RegressionState`` (:mod:`evalcore.metrics.states`).
"""
