"""The predictions file format, owned here: its columns, reading it, writing it.

- :mod:`~evalcore.predictions.columns`: the column roles and names, the ``prob_<class>`` columns, detection;
- :mod:`~evalcore.predictions.cells`: cells as numbers and labels;
- :mod:`~evalcore.predictions.resolve`: a table under a column mapping validated, the task decided once;
- :mod:`~evalcore.predictions.validated`: :class:`Predictions` and the typed input of ``evaluate``;
- :mod:`~evalcore.predictions.read`: a file (CSV, TSV, .csv.gz, Parquet) read and validated;
- :mod:`~evalcore.predictions.write`: the table the worker and the samples write.

Example:
    >>> p = read_predictions(b"y_true,score\\nyes,0.9\\nno,0.2\\n", name="p.csv")
    >>> p.task, p.evaluate().metrics["accuracy"].value
    ('binary', 1.0)
"""

from __future__ import annotations

from evalcore.predictions.cells import parse_numbers
from evalcore.predictions.columns import (
    PRED_NAMES,
    PROB_PREFIX,
    SCORE_NAMES,
    TRUE_NAMES,
    ColumnMap,
    class_of_column,
    detect_columns,
    probability_column,
)
from evalcore.predictions.read import from_frame, load_frame, read_predictions
from evalcore.predictions.resolve import resolve
from evalcore.predictions.validated import EvaluationInput, Predictions
from evalcore.predictions.write import prediction_table, predictions_frame, write_predictions

__all__ = [
    "PRED_NAMES", "PROB_PREFIX", "SCORE_NAMES", "TRUE_NAMES", "ColumnMap", "EvaluationInput", "Predictions",
    "class_of_column", "detect_columns", "from_frame", "load_frame", "parse_numbers", "prediction_table", "predictions_frame",
    "probability_column", "read_predictions", "resolve", "write_predictions",
]
