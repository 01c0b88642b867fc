"""The dashboard metrics, one module per metric, each defining ``SPEC`` (a
:class:`evalcore.metrics.registry.MetricSpec`). Discovered by :func:`evalcore.metrics.registry.all_specs`:
adding a module here adds the metric to the report, the slices, the exports, the run summaries and the CLI.
"""
