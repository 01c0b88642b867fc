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
from evalcore.metrics._validation import all_finite, compact_codes


def parse_numbers(s: pd.Series, decimal_comma: bool = False) -> np.ndarray:
    """Cells as float64, NaN where a cell is not a number. Decimal commas only for ``;`` files.

    >>> parse_numbers(pd.Series(["1,5", " 2 ", "x"]), decimal_comma=True).tolist()
    [1.5, 2.0, nan]
    """
    if s.dtype.kind == "f":
        return s.to_numpy(dtype=np.float64)
    if isinstance(s.dtype, pd.CategoricalDtype):  # each distinct label parsed once
        codes = s.cat.codes.to_numpy()
        values = np.append(parse_numbers(pd.Series(s.cat.categories.astype("str")), decimal_comma), np.nan)
        return values[np.where(codes < 0, len(values) - 1, codes)]
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


def label_column(frame: pd.DataFrame, col: str, role: str) -> pd.Series:
    """A label column as labels (:func:`labels_of`); missing or blank cells are errors naming the rows.

    The checks look at the column's distinct values, not at each row: a column the CSV reader read as a
    dictionary (Arrow's, a pandas Categorical) has them already; any other column is factorized once.

    >>> label_column(pd.DataFrame({"t": pd.Series([" a", "b", "a"], dtype="str")}), "t", "true label").tolist()
    ['a', 'b', 'a']
    """
    refuse_nulls(frame, col, f"a {role}")
    s = frame[col]
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes, categories = s.cat.codes.to_numpy(), s.cat.categories.astype("str")
    else:
        codes, categories = pd.factorize(s.astype("str"))
        categories = pd.Index(categories, dtype="str")
    return labels_of(codes, categories, s, col, role)


def labels_of(codes: np.ndarray, categories: pd.Index, like: pd.Series, col: str | None = None,
              role: str = "label") -> pd.Series:
    """Labels as the reader keeps them: a Categorical of text whose categories are exactly the distinct labels
    found, outer spaces stripped, sorted; ``like`` gives the index and name. Codes below 0 (missing) and blank
    labels are errors naming the rows.

    >>> s = labels_of(np.array([1, 0, 1]), pd.Index(["b ", "a"]), pd.Series([0, 0, 0], name="t"))
    >>> s.tolist(), s.cat.categories.tolist()
    (['a', 'b', 'a'], ['a', 'b'])
    """
    codes = np.asarray(codes)
    where = f" of column '{col}'" if col else ""
    if codes.size and codes.min() < 0:
        rows = np.flatnonzero(codes < 0)
        raise input_error(f"a {role} in every row{where}", f"missing values in {rows_text(rows + 1)}",
                          "fill or drop those rows")
    used = _used(codes, len(categories))
    stripped = categories.str.strip() if len(categories) else categories
    blank = used & np.asarray(stripped == "", dtype=bool)
    if blank.any():
        rows = np.flatnonzero(blank[codes])
        raise input_error(f"a {role} in every row{where}", f"blank cells in {rows_text(rows + 1)}",
                          "fill or drop those rows")
    if not (used.all() and stripped.equals(categories) and categories.is_monotonic_increasing
            and categories.is_unique):
        codes, names = compact_codes(codes, stripped, used)
        codes, categories = codes.astype(np.int32), pd.Index(names, dtype="str")
    labels = pd.Categorical.from_codes(codes, categories=categories, validate=False)
    return pd.Series(labels, index=like.index, name=like.name)


def _used(codes: np.ndarray, k: int) -> np.ndarray:
    """Which of ``k`` categories the (non-negative) codes use; of two, the minimum and maximum tell.

    >>> _used(np.array([1, 1], np.int8), 2).tolist(), _used(np.array([0, 2]), 3).tolist()
    ([False, True], [True, False, True])
    """
    if not codes.size:
        return np.zeros(k, dtype=bool)
    if k <= 2:
        used = np.zeros(k, dtype=bool)
        used[[int(codes.min()), int(codes.max())]] = True
        return used
    return np.bincount(codes, minlength=k).astype(bool)


def distinct_labels(*series: pd.Series) -> list[str]:
    """The labels found in any of the label Series (:func:`labels_of`), sorted.

    >>> distinct_labels(labels_of(np.array([0]), pd.Index(["b"]), pd.Series([0])),
    ...                 labels_of(np.array([0, 1]), pd.Index(["a", "b"]), pd.Series([0, 0])))
    ['a', 'b']
    """
    found: set[str] = set()
    for s in series:
        found |= set(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else set(pd.unique(s))
    return sorted(found)


def renamed_labels(s: pd.Series, names: dict[str, str]) -> pd.Series:
    """Label Series with each label renamed through ``names`` (labels left out keep their name).

    >>> renamed_labels(labels_of(np.array([0, 1]), pd.Index(["0", "1"]), pd.Series([0, 0])), {"0": "z"}).tolist()
    ['z', '1']
    """
    categories = s.cat.categories
    renamed = pd.Index([names.get(c, c) for c in categories], dtype="str")
    return labels_of(s.cat.codes.to_numpy(), renamed, s)


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

