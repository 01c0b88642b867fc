"""Metrics per group: blank cells are one '(missing)' group, as missing values are."""

from __future__ import annotations

import numpy as np

from evalcore.metrics.evaluation import prepare
from evalcore.slices import metrics_by_group


def test_blank_and_missing_group_cells_are_one_missing_group():
    y = np.array([0, 1, 0, 1, 0, 1])
    prepared = prepare(y, y_pred=np.array([0, 1, 1, 1, 0, 0]))
    table = metrics_by_group(prepared, np.array(["a", "", "  ", None, "a", "b"], dtype=object), None)
    groups = dict(zip(table.iloc[:, 0], table["rows"] if "rows" in table else table.iloc[:, 1]))
    assert "" not in groups and "  " not in groups
    assert groups["(missing)"] == 3 and groups["a"] == 2 and groups["b"] == 1
