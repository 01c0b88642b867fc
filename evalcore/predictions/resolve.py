"""A table and its column roles checked and turned into :class:`~evalcore.predictions.validated.Predictions`,
the task decided once: the table's shape, the mapping, the labels, then regression, probabilities, one score or
labels only.

Example:
    >>> import pandas as pd
    >>> from evalcore.predictions.columns import ColumnMap
    >>> p = resolve(pd.DataFrame({"t": ["a", "b"], "p": ["a", "a"]}), ColumnMap("t", "p"))
    >>> p.task, p.y_pred.tolist()
    ('binary', ['a', 'a'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.errors import input_error, preview, rows_text
from evalcore.file_tables import stacked
from evalcore.predictions.cells import (distinct_labels, label_column, looks_continuous, numeric_column, parse_numbers,
                                       refuse_nulls, renamed_labels)
from evalcore.predictions.columns import PROB, TRUE_NAMES, Y_PRED, Y_TRUE, ColumnMap
from evalcore.predictions.validated import Predictions


def resolve(frame: pd.DataFrame, mapping: ColumnMap, source: str = "upload") -> Predictions:
    """Validate a frame under a column mapping and build :class:`Predictions`."""
    y_true_column = _check_mapping(frame, mapping, source)
    warnings = tuple(frame.attrs.get("warnings", ()))  # the file's (columns left out); the data's are evaluate()'s
    y_true = label_column(frame, y_true_column, "true label")
    y_pred = label_column(frame, mapping.y_pred, "predicted label") if mapping.y_pred else None
    if _is_regression(frame, mapping, y_true, y_pred):
        return Predictions(frame, mapping, "regression", y_true, y_pred, None, None, warnings, source)
    if mapping.probabilities:
        y_true, y_pred, matrix, classes = _with_probabilities(frame, mapping, y_true, y_pred)
        task = "binary" if len(classes) == 2 else "multiclass"
        return Predictions(frame, mapping, task, y_true, y_pred, matrix, classes, warnings, source)
    if mapping.score is not None:
        score = _single_score(frame, mapping.score, y_true, y_pred)
        return Predictions(frame, mapping, "binary", y_true, y_pred, score, None, warnings, source)
    n_classes = len(distinct_labels(y_true, y_pred))
    task = "binary" if n_classes <= 2 else "multiclass"
    return Predictions(frame, mapping, task, y_true, y_pred, None, None, warnings, source)


def _check_mapping(frame: pd.DataFrame, mapping: ColumnMap, source: str) -> str:
    """The table has a header, rows and two columns, and the roles name its columns; returns y_true's column."""
    columns = list(frame.columns)
    _check_table(frame, columns, source)
    for role, col in ((Y_TRUE, mapping.y_true), (Y_PRED, mapping.y_pred), ("score", mapping.score),
                      *(("probability", c) for c in mapping.probabilities.values())):
        if col is not None and col not in columns:
            raise input_error(f"a column named '{col}' for {role}", f"columns {preview(columns, 8)}",
                              "pick one of the file's columns")
    if mapping.y_true is None:
        raise input_error(f"a true-label column named one of {', '.join(TRUE_NAMES[:6])}",
                          f"columns {preview(columns, 8)}", f"rename your label column to {Y_TRUE}, or map it by hand")
    if mapping.y_pred is None and mapping.score is None and not mapping.probabilities:
        raise input_error(f"a prediction column ({Y_PRED}) or score/probability columns",
                          f"only {preview(columns, 8)}", f"add {Y_PRED}, score, or {PROB}<class> columns, or map them")
    if mapping.probabilities and len(mapping.probabilities) < 2:
        raise input_error("one probability column per class (two or more)", f"{len(mapping.probabilities)}",
                          f"add a {PROB}<class> column for each class, or use a single score column")
    return mapping.y_true


def _check_table(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    if not columns:
        raise input_error(f"a label column and a prediction or score column in '{source}'", "no columns",
                          f"add a header such as {Y_TRUE},{Y_PRED},score")
    if len(frame) == 0:
        raise input_error(f"rows under the header of '{source}'", "a header only", "add one row per prediction")
    if len(columns) < 2:
        raise input_error("a label column and a prediction or score column", f"one column ('{columns[0]}')",
                          f"add {Y_PRED} or score columns (and check the delimiter)")


def _is_regression(frame: pd.DataFrame, mapping: ColumnMap, y_true: pd.Series, y_pred: pd.Series | None) -> bool:
    """Labels and predictions without scores, one of them numbers that are not all whole: a regression."""
    if mapping.score is not None or mapping.probabilities or y_pred is None:
        return False
    decimal_comma = bool(frame.attrs.get("decimal_comma"))
    return looks_continuous(y_true, decimal_comma) or looks_continuous(y_pred, decimal_comma)


def _with_probabilities(frame: pd.DataFrame, mapping: ColumnMap, y_true: pd.Series, y_pred: pd.Series | None
                        ) -> tuple[pd.Series, pd.Series | None, np.ndarray, tuple[str, ...]]:
    """One probability column per class: (labels as class names, predictions, the matrix, the classes)."""
    classes = tuple(mapping.probabilities)
    matrix = _probability_matrix(frame, list(mapping.probabilities.values()))
    y_true = _indices_to_names(y_true, classes)
    _check_known(y_true, classes, "true", mapping.y_true)
    if y_pred is not None:
        y_pred = _indices_to_names(y_pred, classes)
        _check_known(y_pred, classes, "predicted", mapping.y_pred)
    return y_true, y_pred, matrix, classes


def _probability_matrix(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """The probability columns as one (rows, classes) matrix in column order (Fortran), each column checked: the
    reader's own matrix when the columns are consecutive in it (no copy), else each column copied into a new one.
    The one-vs-rest passes read a class's column without a stride."""
    columns = []
    for col in cols:
        refuse_nulls(frame, col, "a number")
        values = parse_numbers(frame[col], bool(frame.attrs.get("decimal_comma")))
        if values.size and not (values.min() >= 0 and values.max() <= 1):  # False for NaN too: two passes
            values = numeric_column(frame, col, "probability")  # a word, a blank, NaN: said by row
            bad = np.flatnonzero((values < 0) | (values > 1))
            raise input_error(f"probabilities in [0, 1] in column '{col}'",
                              f"{values[bad[0]]:g}{' and others' if bad.size > 1 else ''} in {rows_text(bad + 1)}",
                              "pass probabilities (softmax of the raw scores), not logits or percentages")
        columns.append(values)
    shared = stacked(columns)
    if shared is not None:
        return shared
    matrix = np.empty((len(frame), len(cols)), dtype=np.float64, order="F")
    for j, values in enumerate(columns):
        matrix[:, j] = values
    return matrix


def _indices_to_names(s: pd.Series, classes: tuple[str, ...]) -> pd.Series:
    """Labels given as 0..K-1 indices into the probability columns become class names."""
    values = set(distinct_labels(s))
    if values <= set(classes):
        return s
    index_names = {str(i): c for i, c in enumerate(classes)}
    if values <= set(index_names):
        return renamed_labels(s, index_names)
    return s


def _check_known(s: pd.Series, classes: tuple[str, ...], role: str, col: str | None) -> None:
    """Every label is one of the probability columns' classes."""
    unknown = sorted(set(distinct_labels(s)) - set(classes))
    if unknown:
        rows = np.flatnonzero(~s.isin(classes).to_numpy())
        raise input_error(f"{role} labels in column '{col}' among the probability columns' classes "
                          f"{preview(classes)}", f"{preview(unknown)} in {rows_text(rows + 1)}",
                          f"add a {PROB}<class> column for each of those classes, or fix the labels")


def _single_score(frame: pd.DataFrame, column: str, y_true: pd.Series, y_pred: pd.Series | None) -> np.ndarray:
    """One score column, for a task of at most two classes."""
    score = numeric_column(frame, column)
    n_classes = len(distinct_labels(y_true) if y_pred is None else distinct_labels(y_true, y_pred))
    if n_classes > 2:
        raise input_error(f"two classes for a single score column '{column}'", f"{n_classes} classes",
                          f"give one {PROB}<class> column per class for multiclass files")
    return score
