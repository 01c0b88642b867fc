"""Read a predictions file into validated :class:`Predictions`.

CSV, TSV, ``.csv.gz`` and Parquet, at most ``max_bytes`` (``$EVALCORE_MAX_FILE_SIZE``, 1 GiB) after
decompression (:mod:`evalcore.file_bytes`). The delimiter is sniffed (``,`` ``;`` tab ``|``), ``;`` files
may use decimal commas; UTF-8 with or without BOM, UTF-16/UTF-32 with or without BOM, CRLF, quoted fields
(line breaks inside, any length) (:mod:`evalcore.file_tables`). Label columns are read as text, so ``007``,
``NA`` and ``None`` are labels. Every problem is an :class:`~evalcore.errors.InputError` naming the column,
the first rows and the fix. Warnings about the data (scores outside [0, 1], a label found only among the
predictions) are the evaluation report's; ``Predictions.warnings`` holds the file's (Parquet columns left out).

Example:
    >>> p = read_predictions(b"y_true,score\\nyes,0.9\\nno,0.2\\n", name="p.csv")
    >>> p.task, p.mapping.y_true, p.mapping.score, p.y_true.tolist()
    ('binary', 'y_true', 'score', ['yes', 'no'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evalcore.errors import input_error, preview, rows_text
from evalcore.file_bytes import as_utf8, read_bounded
from evalcore.file_tables import read_csv_table, read_parquet_table
from evalcore.limits import max_file_bytes

TRUE_NAMES = ("y_true", "label", "labels", "target", "actual", "truth", "true", "ground_truth", "true_label", "y")
PRED_NAMES = ("y_pred", "pred", "prediction", "predicted", "predicted_label", "pred_label", "yhat", "y_hat")
SCORE_NAMES = ("score", "y_score", "prob", "proba", "probability", "y_prob", "y_proba", "p")
PROB_PREFIX = re.compile(r"^(?:prob|proba|probability|p|score)[_:](.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class ColumnMap:
    """Which file column plays which role. ``probabilities`` maps class name -> column."""

    y_true: str | None = None
    y_pred: str | None = None
    score: str | None = None
    probabilities: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"y_true": self.y_true, "y_pred": self.y_pred, "score": self.score,
                "probabilities": dict(self.probabilities)}


@dataclass(frozen=True)
class Predictions:
    """A validated predictions file: the roles, the values and the other columns for slicing."""

    frame: pd.DataFrame
    mapping: ColumnMap
    task: str
    y_true: pd.Series
    y_pred: pd.Series | None
    score: np.ndarray | None
    classes: tuple[str, ...] | None
    warnings: tuple[str, ...]
    source: str

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @property
    def other_columns(self) -> list[str]:
        used = {self.mapping.y_true, self.mapping.y_pred, self.mapping.score, *self.mapping.probabilities.values()}
        return [c for c in self.frame.columns if c not in used]

    def evaluate_kwargs(self) -> dict:
        """Arguments for :func:`evalcore.metrics.evaluate`."""
        kw: dict = {"y_true": self.y_true, "y_pred": self.y_pred, "y_score": self.score}
        if self.task == "regression":
            kw["task"] = "regression"
            comma = bool(self.frame.attrs.get("decimal_comma"))
            kw["y_true"] = _to_float(self.y_true, self.mapping.y_true, comma)
            kw["y_pred"] = _to_float(self.y_pred, self.mapping.y_pred, comma)
        elif self.classes is not None:
            kw["labels"] = list(self.classes)
        return kw


# ---------------------------------------------------------------- reading


def load_frame(source, name: str | None = None, *, max_bytes: int | None = None) -> tuple[pd.DataFrame, str]:
    """The file's table, every CSV column as text. Returns (frame, source name).

    ``max_bytes`` caps the file's size after decompression (default: :func:`evalcore.limits.max_file_bytes`,
    ``$EVALCORE_MAX_FILE_SIZE`` or 1 GiB); a larger file is refused with an InputError stating its size.
    """
    limit = max_file_bytes() if max_bytes is None else int(max_bytes)
    if limit <= 0:
        raise input_error("a file size limit above zero", f"{limit}", "pass a positive max_bytes, e.g. 10**9")
    data, name, was_gzip = read_bounded(source, name, limit)
    if len(data) == 0:
        raise input_error(f"data in '{name}'", "an empty file (0 bytes)" if not was_gzip else "an empty file",
                          "upload the file again" if not was_gzip else "upload a file with a header and rows")
    if bytes(data[:4]) == b"PAR1" or name.lower().endswith((".parquet", ".pq")):
        return read_parquet_table(data, name, limit), name
    if name.lower().endswith(".gz") and not was_gzip:
        raise input_error(f"gzip-compressed data in '{name}'", "a file that is not gzip",
                          "rename it without .gz, or compress it with gzip")
    return read_csv_table(as_utf8(data, name, limit), name), name


# ---------------------------------------------------------------- roles


def _find(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


def class_of_column(column: str) -> str:
    """The class a probability column is for: the name after prob_/proba_/p_/score_ (else the whole name).

    >>> class_of_column("prob_cat"), class_of_column("Proba:dog"), class_of_column("cat")
    ('cat', 'dog', 'cat')
    """
    m = PROB_PREFIX.match(column.strip())
    return m.group(1) if m else column


def detect_columns(columns: list[str]) -> ColumnMap:
    """Guess the roles from column names.

    >>> detect_columns(["id", "label", "prob_cat", "prob_dog"]).as_dict()
    {'y_true': 'label', 'y_pred': None, 'score': None, 'probabilities': {'cat': 'prob_cat', 'dog': 'prob_dog'}}
    """
    y_true = _find(columns, TRUE_NAMES)
    y_pred = _find([c for c in columns if c != y_true], PRED_NAMES)
    probabilities = {}
    for c in columns:
        m = PROB_PREFIX.match(c.strip())
        if m and c not in (y_true, y_pred):
            probabilities[m.group(1)] = c
    score = None
    if len(probabilities) < 2:
        probabilities = {}
        score = _find([c for c in columns if c not in (y_true, y_pred)], SCORE_NAMES)
    return ColumnMap(y_true, y_pred, score, probabilities)


def parse_numbers(s: pd.Series, decimal_comma: bool = False) -> np.ndarray:
    """Cells as float64, NaN where a cell is not a number. Decimal commas only for ``;`` files.

    >>> parse_numbers(pd.Series(["1,5", " 2 ", "x"]), decimal_comma=True).tolist()
    [1.5, 2.0, nan]
    """
    if s.dtype.kind == "f":
        return s.to_numpy(dtype=np.float64)
    fast = _arrow_numbers(s, decimal_comma)
    if fast is not None:
        return fast
    text = s.astype("str").str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)


def _arrow_numbers(s: pd.Series, decimal_comma: bool) -> np.ndarray | None:
    """Every cell of an Arrow-backed text column parsed by Arrow, without a Python string per cell (a 1 GB file
    took 3 GB more and 13 s through pandas); None when a cell is not a number (pandas then says which)."""
    if not hasattr(s.array, "__arrow_array__"):
        return None
    try:
        arr = s.array.__arrow_array__()
        if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            return None
        text = pc.utf8_trim_whitespace(arr)
        if decimal_comma:
            text = pc.replace_substring(text, ",", ".")
        values = pc.cast(text, pa.float64())
    except (pa.ArrowException, TypeError, ValueError):
        return None
    out = values.to_numpy() if len(values) else np.empty(0, dtype=np.float64)
    return out if out.flags.writeable else out.copy()  # Arrow's memory is read-only; callers may write


def _refuse_nulls(frame: pd.DataFrame, col: str, expected: str) -> None:
    """Missing values (nulls, which Parquet can hold) in a role's column are an error naming the rows."""
    count, first = frame.attrs.get("nulls", {}).get(col, (0, []))
    if count:
        raise input_error(f"{expected} in every row of column '{col}'",
                          f"missing values (null) in {rows_text(first, total=count)}", "fill or drop those rows")


def _numeric_column(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A score column as float64; missing values, text, blanks, NaN and infinity are errors naming the rows."""
    _refuse_nulls(frame, col, "a number")
    values = parse_numbers(frame[col], bool(frame.attrs.get("decimal_comma")))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size and frame[col].dtype.kind != "f":  # text cells: which are words, which are blank
        cells = frame[col].iloc[bad].astype("str").str.strip()
        blank = (cells == "").to_numpy()
        literal_nan = cells.str.lower().isin(["nan", "inf", "-inf", "+inf", "infinity", "-infinity"]).to_numpy()
        text_rows, blank_rows = bad[~literal_nan & ~blank], bad[blank]
        if text_rows.size or blank_rows.size:
            found = []
            if text_rows.size:
                examples = preview([repr(v) for v in frame[col].iloc[text_rows[:3]].tolist()], 3)
                found.append(f"text in {rows_text(text_rows + 1)} (e.g. {examples})")
            if blank_rows.size:
                found.append(f"blank cells in {rows_text(blank_rows + 1)}")
            raise input_error(f"numbers in score column '{col}'", " and ".join(found),
                              "fix those cells or map another column as the score")
    if bad.size:
        raise input_error(f"finite numbers in score column '{col}'", f"NaN or infinity in {rows_text(bad + 1)}",
                          "fill or drop those rows")
    return values


def _label_column(frame: pd.DataFrame, col: str, role: str) -> pd.Series:
    _refuse_nulls(frame, col, f"a {role}")
    s = frame[col].astype("str")
    blank = np.flatnonzero((s.str.strip() == "").to_numpy())
    if blank.size:
        raise input_error(f"a {role} in every row of column '{col}'", f"blank cells in {rows_text(blank + 1)}",
                          "fill or drop those rows")
    return s.str.strip() if s.str.contains(r"^\s|\s$", regex=True).any() else s


def _to_float(s: pd.Series | None, col: str | None, decimal_comma: bool) -> np.ndarray | None:
    if s is None:
        return None
    values = parse_numbers(s, decimal_comma)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise input_error(f"numbers in column '{col}' for a regression task", f"other values in "
                          f"{rows_text(bad + 1)}", "fix those cells, or treat the task as classification")
    return values


def _looks_continuous(s: pd.Series, decimal_comma: bool) -> bool:
    values = parse_numbers(s, decimal_comma)
    return bool(np.isfinite(values).all() and np.any(np.mod(values, 1) != 0))


def resolve(frame: pd.DataFrame, mapping: ColumnMap, source: str = "upload") -> Predictions:
    """Validate a frame under a column mapping and build :class:`Predictions`."""
    columns = list(frame.columns)
    if not columns:
        raise input_error(f"a label column and a prediction or score column in '{source}'", "no columns",
                          "add a header such as y_true,y_pred,score")
    if len(frame) == 0:
        raise input_error(f"rows under the header of '{source}'", "a header only", "add one row per prediction")
    if len(columns) < 2:
        raise input_error("a label column and a prediction or score column", f"one column ('{columns[0]}')",
                          "add y_pred or score columns (and check the delimiter)")
    for role, col in (("y_true", mapping.y_true), ("y_pred", mapping.y_pred), ("score", mapping.score),
                      *(("probability", c) for c in mapping.probabilities.values())):
        if col is not None and col not in columns:
            raise input_error(f"a column named '{col}' for {role}", f"columns {preview(columns, 8)}",
                              "pick one of the file's columns")
    if mapping.y_true is None:
        raise input_error(f"a true-label column named one of {', '.join(TRUE_NAMES[:6])}",
                          f"columns {preview(columns, 8)}", "rename your label column to y_true, or map it by hand")
    if mapping.y_pred is None and mapping.score is None and not mapping.probabilities:
        raise input_error("a prediction column (y_pred) or score/probability columns",
                          f"only {preview(columns, 8)}", "add y_pred, score, or prob_<class> columns, or map them")
    if mapping.probabilities and len(mapping.probabilities) < 2:
        raise input_error("one probability column per class (two or more)", f"{len(mapping.probabilities)}",
                          "add a prob_<class> column for each class, or use a single score column")
    warnings = tuple(frame.attrs.get("warnings", ()))  # the file's (columns left out); the data's are evaluate()'s
    y_true = _label_column(frame, mapping.y_true, "true label")
    y_pred = _label_column(frame, mapping.y_pred, "predicted label") if mapping.y_pred else None
    decimal_comma = bool(frame.attrs.get("decimal_comma"))
    if mapping.score is None and not mapping.probabilities and y_pred is not None \
            and (_looks_continuous(y_true, decimal_comma) or _looks_continuous(y_pred, decimal_comma)):
        return Predictions(frame, mapping, "regression", y_true, y_pred, None, None, warnings, source)
    score = None
    classes = None
    if mapping.probabilities:
        classes = tuple(mapping.probabilities)
        matrix = np.column_stack([_numeric_column(frame, c) for c in mapping.probabilities.values()])
        _check_probabilities(matrix, list(mapping.probabilities.values()))
        y_true = _indices_to_names(y_true, classes, mapping.y_true)
        if y_pred is not None:
            y_pred = _indices_to_names(y_pred, classes, mapping.y_pred)
        for role, s, col in (("true", y_true, mapping.y_true), ("predicted", y_pred, mapping.y_pred)):
            if s is None:
                continue
            unknown = sorted(set(pd.unique(s)) - set(classes))
            if unknown:
                rows = np.flatnonzero(~s.isin(classes).to_numpy())
                raise input_error(f"{role} labels in column '{col}' among the probability columns' classes "
                                  f"{preview(classes)}", f"{preview(unknown)} in {rows_text(rows + 1)}",
                                  "add a prob_<class> column for each of those classes, or fix the labels")
        score = matrix
        task = "binary" if len(classes) == 2 else "multiclass"
    elif mapping.score is not None:
        score = _numeric_column(frame, mapping.score)
        n_classes = len(pd.unique(y_true if y_pred is None else pd.concat([y_true, y_pred])))
        if n_classes > 2:
            raise input_error(f"two classes for a single score column '{mapping.score}'", f"{n_classes} classes",
                              "give one prob_<class> column per class for multiclass files")
        task = "binary"
    else:
        n_classes = len(pd.unique(pd.concat([y_true, y_pred])))
        task = "binary" if n_classes <= 2 else "multiclass"
    return Predictions(frame, mapping, task, y_true, y_pred, score, classes, warnings, source)


def _check_probabilities(matrix: np.ndarray, cols: list[str]) -> None:
    for j, col in enumerate(cols):
        bad = np.flatnonzero((matrix[:, j] < 0) | (matrix[:, j] > 1))
        if bad.size:
            raise input_error(f"probabilities in [0, 1] in column '{col}'",
                              f"{matrix[bad[0], j]:g}{' and others' if bad.size > 1 else ''} in {rows_text(bad + 1)}",
                              "pass probabilities (softmax of the raw scores), not logits or percentages")


def _indices_to_names(s: pd.Series, classes: tuple[str, ...], col: str) -> pd.Series:
    """Labels given as 0..K-1 indices into the probability columns become class names."""
    values = set(pd.unique(s))
    if values <= set(classes):
        return s
    index_names = {str(i): c for i, c in enumerate(classes)}
    if values <= set(index_names):
        return s.map(index_names).astype("str")
    return s


def read_predictions(source, *, columns: dict | ColumnMap | None = None, name: str | None = None,
                     max_bytes: int | None = None) -> Predictions:
    """Read and validate a predictions file.

    Args:
        source: a path, the file's bytes, or an uploaded file object.
        columns: overrides of the detected roles: ``{"y_true": ..., "y_pred": ..., "score": ...,
            "probabilities": {class: column}}``; keys left out keep the detected column.
        name: the file name, used to tell formats apart and in messages.
        max_bytes: the largest file to read, after decompression (default ``$EVALCORE_MAX_FILE_SIZE`` or 1 GiB).
    """
    frame, source_name = load_frame(source, name, max_bytes=max_bytes)
    detected = detect_columns(list(frame.columns))
    if isinstance(columns, ColumnMap):
        mapping = columns
    elif columns:
        unknown = set(columns) - {"y_true", "y_pred", "score", "probabilities"}
        if unknown:
            raise input_error("column roles y_true, y_pred, score, probabilities", f"{preview(sorted(unknown))}",
                              "use those role names")
        mapping = replace(detected, **columns)
        if "score" in columns and columns["score"] and "probabilities" not in columns:
            mapping = replace(mapping, probabilities={})
        if columns.get("probabilities") and "score" not in columns:
            mapping = replace(mapping, score=None)
    else:
        mapping = detected
    return resolve(frame, mapping, source_name)
