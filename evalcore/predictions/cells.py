"""A predictions file's cells as values: numbers (decimal commas, Arrow's fast parse) and labels (text).

Every problem is an :class:`~evalcore.errors.InputError` naming the column, the first rows and the fix.

Example:
    >>> import pandas as pd
    >>> parse_numbers(pd.Series(["1,5", " 2 ", "x"]), decimal_comma=True).tolist()
    [1.5, 2.0, nan]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evalcore.errors import input_error, preview, rows_text
from evalcore.metrics._validation import all_finite


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


def refuse_nulls(frame: pd.DataFrame, col: str, expected: str) -> None:
    """Missing values (nulls, which Parquet can hold) in a role's column are an error naming the rows."""
    count, first = frame.attrs.get("nulls", {}).get(col, (0, []))
    if count:
        raise input_error(f"{expected} in every row of column '{col}'",
                          f"missing values (null) in {rows_text(first, total=count)}", "fill or drop those rows")


def numeric_column(frame: pd.DataFrame, col: str, role: str = "score") -> np.ndarray:
    """A score (or probability) column as float64; missing values, text, blanks, NaN and infinity are errors
    naming the column by its ``role`` and the rows."""
    refuse_nulls(frame, col, "a number")
    values = parse_numbers(frame[col], bool(frame.attrs.get("decimal_comma")))
    if all_finite(values):
        return values
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
            raise input_error(f"numbers in {role} column '{col}'", " and ".join(found),
                              f"fix those cells or map another column as the {role}")
    if bad.size:
        raise input_error(f"finite numbers in {role} column '{col}'", f"NaN or infinity in {rows_text(bad + 1)}",
                          "fill or drop those rows")
    return values


def text_array(s: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow array behind a text Series (pandas' Arrow-backed strings), None for any other Series."""
    if not hasattr(s.array, "__arrow_array__"):
        return None
    arr = s.array.__arrow_array__()
    arr = arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else None


def label_column(frame: pd.DataFrame, col: str, role: str) -> pd.Series:
    """A label column as text, outer spaces stripped; missing or blank cells are errors naming the rows.

    The checks look at the column's distinct values (Arrow's hash table), not at each row.

    >>> label_column(pd.DataFrame({"t": pd.Series([" a", "b"], dtype="str")}), "t", "true label").tolist()
    ['a', 'b']
    """
    refuse_nulls(frame, col, f"a {role}")
    s = frame[col].astype("str")
    text = text_array(s)
    if text is None:  # not Arrow-backed (a frame built by hand): the same checks through pandas
        stripped = s.str.strip()
        blank = (stripped == "").to_numpy()
        distinct_blank, padded = bool(blank.any()), bool((stripped != s).any())
    else:
        distinct = pc.unique(text)
        trimmed = pc.utf8_trim_whitespace(distinct)
        distinct_blank = bool(pc.any(pc.equal(trimmed, "")).as_py())
        padded = bool(pc.any(pc.not_equal(trimmed, distinct)).as_py())
        blank = pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False) if distinct_blank else None
    if distinct_blank:
        rows = np.flatnonzero(blank)
        raise input_error(f"a {role} in every row of column '{col}'", f"blank cells in {rows_text(rows + 1)}",
                          "fill or drop those rows")
    return s.str.strip() if padded else s


def regression_values(s: pd.Series, col: str | None, decimal_comma: bool) -> np.ndarray:
    """A regression task's true or predicted values as float64; a cell that is not a finite number is an error."""
    values = parse_numbers(s, decimal_comma)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise input_error(f"numbers in column '{col}' for a regression task", f"other values in "
                          f"{rows_text(bad + 1)}", "fix those cells, or treat the task as classification")
    return values


def looks_continuous(s: pd.Series, decimal_comma: bool) -> bool:
    """Every cell a finite number and some not whole: the values of a regression, not class labels."""
    values = parse_numbers(s, decimal_comma)
    return bool(np.isfinite(values).all() and np.any(np.mod(values, 1) != 0))

