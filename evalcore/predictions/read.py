"""Read a predictions file into validated :class:`~evalcore.predictions.validated.Predictions`.

CSV, TSV, ``.csv.gz`` and Parquet, at most ``max_bytes`` (``$EVALCORE_MAX_FILE_SIZE``, 1 GiB) after
decompression (:mod:`evalcore.file_bytes`). The delimiter is sniffed (``,`` ``;`` tab ``|``), ``;`` files
may use decimal commas; UTF-8 with or without BOM, UTF-16/UTF-32 with or without BOM, CRLF, quoted fields
(line breaks inside, any length) (:mod:`evalcore.file_tables`). Label columns are read as text, so ``007``,
``NA`` and ``None`` are labels; Arrow parses the columns of decimal numbers (scores, probabilities). Every problem is an :class:`~evalcore.errors.InputError` naming the column,
the first rows and the fix. Warnings about the data (scores outside [0, 1], a label found only among the
predictions) are the evaluation report's; ``Predictions.warnings`` holds the file's (Parquet columns left out).

Example:
    >>> p = read_predictions(b"y_true,score\\nyes,0.9\\nno,0.2\\n", name="p.csv")
    >>> p.task, p.mapping.y_true, p.mapping.score, p.y_true.tolist()
    ('binary', 'y_true', 'score', ['yes', 'no'])
"""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from evalcore.errors import input_error
from evalcore.file_bytes import as_utf8, read_bounded
from evalcore.file_tables import read_csv_table, read_parquet_table
from evalcore.limits import max_file_bytes
from evalcore.predictions.columns import ColumnMap, detect_columns, with_overrides
from evalcore.predictions.resolve import resolve
from evalcore.predictions.validated import Predictions


def load_frame(source, name: str | None = None, *, max_bytes: int | None = None) -> tuple[pd.DataFrame, str]:
    """The file's table: label columns as text, decimal numbers as float64 (a column of them with a word or a
    blank as text), the rest as text. Returns (frame, source name).

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
        return read_parquet_table(data, name, limit, labels=label_columns), name
    if name.lower().endswith(".gz") and not was_gzip:
        raise input_error(f"gzip-compressed data in '{name}'", "a file that is not gzip",
                          "rename it without .gz, or compress it with gzip")
    return read_csv_table(as_utf8(data, name, limit), name, keep_text=label_columns), name


def label_columns(names: list[str]) -> set[str]:
    """The columns read as text whatever they hold: those named as true or predicted labels (``007`` stays
    ``007``). Other columns of decimal numbers are parsed by Arrow.

    >>> sorted(label_columns(["id", "label", "pred", "score"]))
    ['label', 'pred']
    """
    detected = detect_columns(names)
    return {c for c in (detected.y_true, detected.y_pred) if c is not None}


def read_predictions(source, *, columns: Mapping | ColumnMap | None = None, name: str | None = None,
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
    return from_frame(frame, source_name, columns)


def from_frame(frame: pd.DataFrame, source: str, columns: Mapping | ColumnMap | None = None) -> Predictions:
    """A table already read (:func:`load_frame`) validated under its detected roles and ``columns``' overrides.

    >>> import pandas as pd
    >>> from_frame(pd.DataFrame({"label": ["a", "b"], "pred": ["a", "a"]}), "t.csv").mapping.y_pred
    'pred'
    """
    return resolve(frame, with_overrides(detect_columns(list(frame.columns)), columns), source)
