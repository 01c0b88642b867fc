"""Read a predictions file into validated :class:`Predictions`.

CSV, TSV, ``.csv.gz`` and Parquet. The delimiter is sniffed (``,`` ``;`` tab ``|``),
``;`` files may use decimal commas, UTF-8 with or without BOM, CRLF, quoted
fields. Label columns are read as text, so ``007``, ``NA`` and ``None`` are labels.
Every problem is an :class:`~evalcore.errors.InputError` naming the column, the
first rows and the fix.

Example:
    >>> p = read_predictions(b"y_true,score\\nyes,0.9\\nno,0.2\\n", name="p.csv")
    >>> p.task, p.mapping.y_true, p.mapping.score, p.y_true.tolist()
    ('binary', 'y_true', 'score', ['yes', 'no'])
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from evalcore.errors import input_error, preview

TRUE_NAMES = ("y_true", "label", "labels", "target", "actual", "truth", "true", "ground_truth", "true_label", "y")
PRED_NAMES = ("y_pred", "pred", "prediction", "predicted", "predicted_label", "pred_label", "yhat", "y_hat")
SCORE_NAMES = ("score", "y_score", "prob", "proba", "probability", "y_prob", "y_proba", "p")
PROB_PREFIX = re.compile(r"^(?:prob|proba|probability|p|score)[_:](.+)$", re.IGNORECASE)
DELIMITERS = (",", ";", "\t", "|")
MAX_COLUMNS = 10_000
SNIFF_BYTES = 1 << 16


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


# ---------------------------------------------------------------- reading bytes


def _read_bytes(source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "upload"
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise input_error("an existing file", f"no file at '{path}'", "check the path")
        if path.is_dir():
            raise input_error("a file", f"the folder '{path}'", "pass a CSV, TSV, .csv.gz or Parquet file")
        return path.read_bytes(), name or path.name
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, name or getattr(source, "name", "upload")
    raise input_error("a file path, bytes or an uploaded file", type(source).__name__, "pass the file itself")


def _decompress(data: bytes, name: str) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise input_error(f"a complete gzip file in '{name}'", f"a damaged or truncated archive ({exc})",
                              "compress the file again, or upload the plain CSV") from exc
    if name.lower().endswith(".gz"):
        raise input_error(f"gzip-compressed data in '{name}'", "a file that is not gzip",
                          "rename it without .gz, or compress it with gzip")
    return data


def _text_head(data: bytes, name: str) -> str:
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise input_error(f"a text CSV/TSV or a Parquet file in '{name}'", "binary data",
                          "export your predictions as CSV (UTF-8) or Parquet")
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if len(head) == SNIFF_BYTES and exc.start >= SNIFF_BYTES - 4:
            return head[: exc.start].decode("utf-8-sig")
        raise input_error(f"UTF-8 text in '{name}'", f"bytes that are not UTF-8 near byte {exc.start}",
                          "save the file as UTF-8 (in Excel: CSV UTF-8)") from exc


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields.

    >>> sniff_delimiter("a;b;c\\n1,5;2;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n"), sniff_delimiter("a,b\\n1,2\\n")
    (';', '\\t', ',')
    """
    lines = [ln for ln in head.splitlines()[:20] if ln.strip()]
    if len(lines) > 1 and not head.endswith("\n") and len(head) >= SNIFF_BYTES - 8:
        lines = lines[:-1]
    best, best_score = ",", (-1, 0)
    for d in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    head = _text_head(data, name)
    if not head.strip():
        raise input_error(f"a header and rows in '{name}'", "an empty file", "upload a file with data")
    first_line = head.splitlines()[0]
    if first_line.count(",") + first_line.count(";") + first_line.count("\t") + first_line.count("|") > MAX_COLUMNS:
        raise input_error(f"at most {MAX_COLUMNS:,} columns", "a header with more",
                          "keep the label, prediction and score columns (and a few for slicing)")
    sep = sniff_delimiter(head)
    header = next(csv.reader([first_line.lstrip("\ufeff")], delimiter=sep))
    names = [h.strip() for h in header]
    _check_header(names, name)
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        msg = str(exc)
        row = re.search(r"Expected (\d+) columns, got (\d+)", msg)
        if row:
            line = msg.split(":", 2)[-1].strip()[:80]
            raise input_error(f"{row.group(1)} fields on every line (like the header)",
                              f"a line with {row.group(2)}: '{line}'",
                              "quote fields that contain the delimiter, or remove the extra fields") from exc
        if "invalid UTF8" in msg or "UTF8" in msg:
            raise input_error(f"UTF-8 text in '{name}'", "bytes that are not UTF-8",
                              "save the file as UTF-8") from exc
        raise input_error(f"a well-formed CSV in '{name}'", msg.splitlines()[0][:200],
                          "check quoting and line endings") from exc
    frame = table.to_pandas()
    if sep == ";":
        frame.attrs["decimal_comma"] = True
    return frame


def _check_header(names: list[str], source: str) -> None:
    if len(names) > MAX_COLUMNS:
        raise input_error(f"at most {MAX_COLUMNS:,} columns", f"{len(names):,}",
                          "keep the label, prediction and score columns")
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank and len(blank) == len(names):
        raise input_error(f"a header row naming the columns of '{source}'", "an empty header",
                          "add a header such as y_true,y_pred,score")
    seen, dups = set(), []
    for n in names:
        key = n.lower()
        if key in seen and n:
            dups.append(n)
        seen.add(key)
    if dups:
        raise input_error("unique column names", f"duplicate column(s) {preview(dups)}",
                          "rename or remove the duplicates")


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise input_error(f"a valid Parquet file in '{name}'", f"a damaged file ({str(exc)[:120]})",
                          "write the file again, or upload a CSV") from exc
    names = [str(c) for c in table.column_names]
    _check_header(names, name)
    frame = table.to_pandas()
    frame.columns = names
    for col in frame.columns:  # labels as text, like CSV
        if frame[col].dtype == object or frame[col].dtype.kind in "biu":
            frame[col] = frame[col].astype("str")
    return frame


def load_frame(source, name: str | None = None) -> tuple[pd.DataFrame, str]:
    """The file's table, every CSV column as text. Returns (frame, source name)."""
    data, name = _read_bytes(source, name)
    if len(data) == 0:
        raise input_error(f"data in '{name}'", "an empty file (0 bytes)", "upload the file again")
    if data[:4] == b"PAR1" or name.lower().endswith((".parquet", ".pq")):
        return _read_parquet(data, name), name
    data = _decompress(data, name)
    if len(data) == 0:
        raise input_error(f"data in '{name}'", "an empty file", "upload a file with a header and rows")
    return _read_csv(data, name), name


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
    text = s.astype("str").str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)


def _numeric_column(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A score column as float64; text, blanks, NaN and infinity are errors naming the rows."""
    values = parse_numbers(frame[col], bool(frame.attrs.get("decimal_comma")))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        cells = frame[col].iloc[bad]
        literal_nan = cells.astype("str").str.strip().str.lower().isin(["nan", "inf", "-inf", "+inf"]).to_numpy()
        if not literal_nan.all():
            text_rows = bad[~literal_nan]
            examples = preview([repr(v) for v in frame[col].iloc[text_rows[:3]].tolist()], 3)
            raise input_error(f"numbers in score column '{col}'", f"text or blanks in rows {preview(text_rows + 1)} "
                              f"(e.g. {examples})", "fix those cells or map another column as the score")
        raise input_error(f"finite numbers in score column '{col}'", f"NaN or infinity in rows {preview(bad + 1)}",
                          "fill or drop those rows")
    return values


def _label_column(frame: pd.DataFrame, col: str, role: str) -> pd.Series:
    s = frame[col].astype("str")
    blank = np.flatnonzero((s.str.strip() == "").to_numpy())
    if blank.size:
        raise input_error(f"a {role} in every row of column '{col}'", f"blank cells in rows {preview(blank + 1)}",
                          "fill or drop those rows")
    return s.str.strip() if s.str.contains(r"^\s|\s$", regex=True).any() else s


def _to_float(s: pd.Series | None, col: str | None, decimal_comma: bool) -> np.ndarray | None:
    if s is None:
        return None
    values = parse_numbers(s, decimal_comma)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise input_error(f"numbers in column '{col}' for a regression task", f"other values in rows "
                          f"{preview(bad + 1)}", "fix those cells, or treat the task as classification")
    return values


def _looks_continuous(s: pd.Series, decimal_comma: bool) -> bool:
    values = parse_numbers(s, decimal_comma)
    return bool(np.isfinite(values).all() and np.any(np.mod(values, 1) != 0))


def resolve(frame: pd.DataFrame, mapping: ColumnMap, source: str = "upload") -> Predictions:
    """Validate a frame under a column mapping and build :class:`Predictions`."""
    columns = list(frame.columns)
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
    warnings: list[str] = []
    y_true = _label_column(frame, mapping.y_true, "true label")
    y_pred = _label_column(frame, mapping.y_pred, "predicted label") if mapping.y_pred else None
    decimal_comma = bool(frame.attrs.get("decimal_comma"))
    if mapping.score is None and not mapping.probabilities and y_pred is not None \
            and (_looks_continuous(y_true, decimal_comma) or _looks_continuous(y_pred, decimal_comma)):
        return Predictions(frame, mapping, "regression", y_true, y_pred, None, None, (), source)
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
                                  f"{preview(classes)}", f"{preview(unknown)} in rows {preview(rows + 1)}",
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
        if score.min() < 0 or score.max() > 1:
            warnings.append(f"Score column '{mapping.score}' has values outside [0, 1]; it is treated as a "
                            f"ranking score, so log loss, Brier score and calibration are not shown.")
    else:
        n_classes = len(pd.unique(pd.concat([y_true, y_pred])))
        task = "binary" if n_classes <= 2 else "multiclass"
    if y_pred is not None:
        only_pred = sorted(set(pd.unique(y_pred)) - set(pd.unique(y_true)))
        if only_pred and classes is None:
            warnings.append(f"Label(s) {preview([repr(x) for x in only_pred])} appear in '{mapping.y_pred}' but never in "
                            f"'{mapping.y_true}'.")
    return Predictions(frame, mapping, task, y_true, y_pred, score, classes, tuple(warnings), source)


def _check_probabilities(matrix: np.ndarray, cols: list[str]) -> None:
    for j, col in enumerate(cols):
        bad = np.flatnonzero((matrix[:, j] < 0) | (matrix[:, j] > 1))
        if bad.size:
            raise input_error(f"probabilities in [0, 1] in column '{col}'",
                              f"{matrix[bad[0], j]:g} and others in rows {preview(bad + 1)}",
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


def read_predictions(source, *, columns: dict | ColumnMap | None = None, name: str | None = None) -> Predictions:
    """Read and validate a predictions file.

    Args:
        source: a path, the file's bytes, or an uploaded file object.
        columns: overrides of the detected roles: ``{"y_true": ..., "y_pred": ..., "score": ...,
            "probabilities": {class: column}}``; keys left out keep the detected column.
        name: the file name, used to tell formats apart and in messages.
    """
    frame, source_name = load_frame(source, name)
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
