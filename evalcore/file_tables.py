"""A predictions file's bytes as a table: CSV/TSV with Arrow's reader, Parquet in counted batches.

CSV columns whose first rows hold decimal numbers are parsed by Arrow as float64 (a column with a word or a blank
further down is read again as text, so its cells can be named); label columns and every other column are text.
Parquet columns of single values are read as text too, except floats; columns of
lists, structs or maps are left out with a warning (``frame.attrs["warnings"]``), and missing values (nulls)
are recorded per column in ``frame.attrs["nulls"]`` as (count, first 1-based rows). No message carries a
library's text: known failures are translated (a row with the wrong number of fields, bytes that are not UTF-8,
a damaged Parquet column), the rest described plainly.

Example:
    >>> read_csv_table(memoryview(b"y_true;score\\na;0,5\\n"), "p.csv").to_dict("list")
    {'y_true': ['a'], 'score': ['0,5']}
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from evalcore.errors import InputError, input_error, preview
from evalcore.file_bytes import CHUNK, Buffer, binary_kind, find_byte, shortened
from evalcore.limits import MAX_COLUMNS, MAX_HEADER_BYTES, PARQUET_BATCH_BYTES, describe_size, too_large

DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 1 << 16
BLOCK_BYTES = 1 << 22          # Arrow's CSV block; retried larger when one quoted value is bigger
MAX_BLOCK_BYTES = (1 << 31) - 1
UTF8_BOM = b"\xef\xbb\xbf"
SAVE_UTF8 = "save the file as UTF-8 (in Excel: CSV UTF-8)"


def _shown(text: str, limit: int = 80) -> str:
    """A line of the file for a message: line breaks as ⏎, cut to ``limit``."""
    return shortened(text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎"), limit)


# ---------------------------------------------------------------- CSV


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


def _line_of(data: Buffer, position: int) -> int:
    """The 1-based line holding byte ``position`` (line breaks inside quotes count too)."""
    return sum(bytes(data[i: min(i + CHUNK, position)]).count(b"\n") for i in range(0, position, CHUNK)) + 1


def _first_bad_utf8(data: Buffer) -> int | None:
    """The position of the first byte that is not UTF-8, chunk by chunk; None if every byte is."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    for at in range(0, len(data), CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[at: at + CHUNK], final=at + CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            return max(0, at - pending + exc.start)
    return None


def _not_utf8(data: Buffer, position: int, name: str, bom: int):
    """The refusal of a byte that is not UTF-8, with its position in the file and its line."""
    return input_error(f"UTF-8 text in '{name}'", f"bytes that are not UTF-8 at byte {bom + position + 1:,} "
                       f"(line {_line_of(data, position):,}, byte 0x{data[position]:02X})", SAVE_UTF8)


def _head_text(data: Buffer, name: str, bom: int) -> str:
    head = bytes(data[:SNIFF_BYTES])
    if 0 in head:
        raise input_error(f"a text CSV/TSV or a Parquet file in '{name}'", binary_kind(head),
                          "export your predictions as CSV (UTF-8) or Parquet")
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) == SNIFF_BYTES and exc.start >= SNIFF_BYTES - 4:
            return head[: exc.start].decode("utf-8")
        raise _not_utf8(data, exc.start, name, bom) from None


def _header(data: Buffer, head: str, sep: str, name: str) -> tuple[list[str], int]:
    """The header's fields and the byte offset where the rows start; blank lines before it are skipped, a
    quoted field in it may span lines."""
    for size in (SNIFF_BYTES, MAX_HEADER_BYTES):
        text = head if size == SNIFF_BYTES else bytes(data[:size]).decode("utf-8", "surrogateescape")
        lines = io.StringIO(text, newline="").readlines()
        reader = csv.reader(iter(lines), delimiter=sep)
        fields: list[str] = []
        for fields in reader:
            if fields:
                break
        used = "".join(lines[: reader.line_num])
        complete = used.endswith(("\n", "\r")) or len(data) <= size
        if complete:
            return fields, len(used.encode("utf-8", "surrogateescape"))
    raise input_error(f"a header line of at most {describe_size(MAX_HEADER_BYTES)} in '{name}'",
                      "a longer first line (or a quote that never closes)",
                      "check the header and its quotes: it should name the columns, e.g. y_true,y_pred,score")


def _names(fields: list[str], name: str) -> list[str]:
    names = [f.strip() for f in fields]
    if not any(names):
        raise input_error(f"a header row naming the columns of '{name}'", "an empty header",
                          "add a header such as y_true,y_pred,score")
    names = [n or f"Unnamed: {i}" for i, n in enumerate(names)]  # pandas' name for a column without one
    check_names(names, name)
    return names


def too_many_columns(source: str, found: str) -> InputError:
    return input_error(f"at most {MAX_COLUMNS:,} columns in '{source}'", found,
                       "keep the label, prediction and score columns (and a few for slicing)")


def check_names(names: list[str], source: str) -> None:
    """At most MAX_COLUMNS columns, unique names (ignoring case)."""
    if len(names) > MAX_COLUMNS:
        raise too_many_columns(source, f"{len(names):,}")
    seen, dups = set(), []
    for n in names:
        key = n.lower()
        if key in seen:
            dups.append(n)
        seen.add(key)
    if dups:
        raise input_error(f"unique column names in '{source}'", f"duplicate column(s) {preview(dups)}",
                          "rename or remove the duplicates")


@dataclass(frozen=True)
class CsvPlan:
    """How Arrow reads a CSV's rows: the delimiter, the decimal point, whether any field is quoted (``False``
    lets Arrow split rows without looking for line breaks inside quotes, a third faster), the columns Arrow
    parses as float64 and the label columns, read as dictionaries (pandas Categoricals: each distinct label is
    checked once). Every other column is text."""

    sep: str
    decimal_point: str = "."
    quoted: bool = True
    numbers: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()

    def without(self, column: str | None = None) -> "CsvPlan":
        """The same plan with ``column`` (None: every column) read as text."""
        return replace(self, numbers=frozenset() if column is None else self.numbers - {column})


LABEL_TYPE = pa.dictionary(pa.int32(), pa.string())


def _arrow_csv(body: Buffer, names: list[str], plan: CsvPlan, block: int, threads: bool = True, handler=None):
    """Arrow's CSV reader following ``plan``. No cell is a null: a blank number is a conversion error."""
    types = {n: pa.float64() if n in plan.numbers else LABEL_TYPE if n in plan.labels else pa.large_string()
             for n in names}
    return pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(body)),
        read_options=pacsv.ReadOptions(column_names=names, block_size=block, use_threads=threads),
        parse_options=pacsv.ParseOptions(delimiter=plan.sep, newlines_in_values=plan.quoted,
                                         invalid_row_handler=handler),
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[], strings_can_be_null=False,
                                             quoted_strings_can_be_null=False, decimal_point=plan.decimal_point))


def _wrong_field_count(body: Buffer, names: list[str], plan: CsvPlan, block: int, name: str):
    """Read again on one thread to learn the first bad row's number (Arrow gives it only then)."""
    found = []

    def handler(row) -> str:
        found.append(row)
        return "error"

    try:
        _arrow_csv(body, names, plan.without(), block, threads=False, handler=handler)
    except (pa.ArrowException, ValueError):
        pass
    expected = f"{len(names):,} fields in every row, like the header of '{name}'"
    fix = "quote fields that contain the delimiter (or a line break), or remove the extra fields"
    if not found:
        return input_error(expected, "a row with another number of fields", fix)
    row = found[0]
    where = f"row {row.number:,}" if row.number else "a row"
    return input_error(expected, f"{row.actual_columns:,} in {where} ('{_shown(row.text or '')}')", fix)


NUMBER_SAMPLE_BYTES = 1 << 16  # the first rows whose cells tell which columns hold decimal numbers


def _decimal_columns(body: Buffer, names: list[str], plan: CsvPlan, candidates: Collection[str]) -> frozenset[str]:
    """The ``candidates`` whose cells in the first rows Arrow reads as decimal numbers (floats, not integers:
    whole numbers may be labels, such as ``007``); empty when those rows cannot be read alone."""
    if not candidates:
        return frozenset()
    head = bytes(body[:NUMBER_SAMPLE_BYTES])
    if len(body) > len(head):
        head = head[: head.rfind(b"\n") + 1]
    if not head:
        return frozenset()
    try:
        sample = pacsv.read_csv(
            pa.BufferReader(head), read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=plan.sep, newlines_in_values=plan.quoted),
            convert_options=pacsv.ConvertOptions(null_values=[], strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False,
                                                 decimal_point=plan.decimal_point))
    except (pa.ArrowException, ValueError):
        return frozenset()
    return frozenset(f.name for f in sample.schema if f.name in candidates and pa.types.is_floating(f.type))


_NOT_A_NUMBER = re.compile(r"In CSV column #(\d+): .*CSV conversion error to double")


def read_csv_table(data: Buffer, name: str, keep_text: Callable[[list[str]], Collection[str]] | None = None
                   ) -> pd.DataFrame:
    """A CSV/TSV file's bytes (UTF-8) as a frame; ``attrs["decimal_comma"]`` for ``;`` files.

    The columns ``keep_text(names)`` names (labels) are text whatever they hold, as Categoricals; other
    columns whose first rows hold decimal numbers are parsed by Arrow as float64 (decimal commas in ``;``
    files), and one with a cell that is not a number (a word, a blank) is read again as text, so its problems
    can be named. Every other column is text. ``keep_text`` None keeps every column as plain text.

    >>> frame = read_csv_table(memoryview(b"y_true;score\\na;0,5\\n"), "p.csv", lambda names: {"y_true"})
    >>> frame.to_dict("list"), str(frame["y_true"].dtype)
    ({'y_true': ['a'], 'score': [0.5]}, 'category')
    """
    data = memoryview(data)
    bom = 3 if data[:3] == UTF8_BOM else 0
    data = data[bom:]
    head = _head_text(data, name, bom)
    if not head.strip():
        raise input_error(f"a header and rows in '{name}'", "an empty file", "upload a file with data")
    first_line = head.lstrip("\r\n").splitlines()[0] if head.strip("\r\n") else ""
    if max(first_line.count(d) for d in DELIMITERS) >= MAX_COLUMNS:
        raise too_many_columns(name, "a header with more")
    sep = sniff_delimiter(head)
    fields, start = _header(data, head, sep, name)
    names = _names(fields, name)
    body = data[start:]
    if len(body) == 0:  # a header only
        return pd.DataFrame({n: pd.Series([], dtype="str") for n in names})
    labels = frozenset(() if keep_text is None else keep_text(names)) & set(names)
    plan = CsvPlan(sep, "," if sep == ";" else ".", find_byte(body, ord('"')), labels=labels)  # the header is csv's
    candidates = set() if keep_text is None else set(names) - labels
    plan = replace(plan, numbers=_decimal_columns(body, names, plan, candidates))
    table = _read_body(body, names, plan, _Origin(name, data, start, bom))
    frame = frame_of(table)
    if sep == ";":
        frame.attrs["decimal_comma"] = True
    return frame


PARALLEL_COPY_BYTES = 16 << 20  # a float matrix at least this large is filled by one thread per column


def frame_of(table: pa.Table) -> pd.DataFrame:
    """A table as a frame, its float64 columns copied once into one read-only column-ordered matrix whose
    columns the frame's columns are (so that consecutive probability columns are one matrix without a copy,
    :func:`stacked`); every other column converted by Arrow.

    >>> frame = frame_of(pa.table({"a": [1.0, 2.0], "t": ["x", "y"], "b": [3.0, 4.0]}))
    >>> stacked([frame["a"].to_numpy(), frame["b"].to_numpy()]).tolist()
    [[1.0, 3.0], [2.0, 4.0]]
    """
    floats = [i for i, f in enumerate(table.schema) if pa.types.is_float64(f.type) and table.column(i).null_count == 0]
    matrix = np.empty((table.num_rows, len(floats)), dtype=np.float64, order="F")

    def copy(j: int) -> None:
        at = 0
        for chunk in table.column(floats[j]).chunks:
            matrix[at: at + len(chunk), j] = chunk.to_numpy()
            at += len(chunk)

    if matrix.nbytes >= PARALLEL_COPY_BYTES and len(floats) > 1:  # numpy copies without the GIL: every core
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(copy, range(len(floats))))
    else:
        for j in range(len(floats)):
            copy(j)
    matrix.flags.writeable = False  # shared by every session that opened the file
    column_of = {i: j for j, i in enumerate(floats)}
    columns = {name: matrix[:, column_of[i]] if i in column_of else _column(table.column(i))
               for i, name in enumerate(table.column_names)}
    return pd.DataFrame(columns, copy=False)


def _column(col: pa.ChunkedArray):
    """A column for the frame: a dictionary of text as a Categorical built from its codes (a third of Arrow's
    conversion), anything else as Arrow converts it."""
    if not (pa.types.is_dictionary(col.type) and pa.types.is_string(col.type.value_type) and col.null_count == 0
            and col.num_chunks):
        return col.to_pandas()
    col = col.unify_dictionaries()
    codes = [chunk.indices.to_numpy() for chunk in col.chunks]
    categories = pd.Index(col.chunk(0).dictionary.to_pandas(), dtype="str")
    return pd.Categorical.from_codes(codes[0] if len(codes) == 1 else np.concatenate(codes), categories=categories,
                                     validate=False)


def stacked(columns: list[np.ndarray]) -> np.ndarray | None:
    """The columns as one (rows, k) matrix without a copy when they are consecutive columns of one
    column-ordered matrix (as :func:`frame_of` makes them), else None.

    >>> m = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    >>> stacked([m[:, 1], m[:, 2]]).tolist(), stacked([m[:, 2], m[:, 1]])
    ([[1.0, 2.0], [4.0, 5.0]], None)
    """
    if not columns:
        return None
    base = columns[0].base
    while isinstance(base, np.ndarray) and base.base is not None and base.ndim != 2:
        base = base.base
    if not isinstance(base, np.ndarray) or base.ndim != 2 or not base.flags.f_contiguous or base.size == 0:
        return None
    start = base.__array_interface__["data"][0]
    step = base.strides[1]
    first = columns[0].__array_interface__["data"][0] - start
    if first % step or len(columns) * step + first > base.shape[1] * step:
        return None
    for j, col in enumerate(columns):
        if col.shape != (base.shape[0],) or col.strides != (base.strides[0],) or \
                col.__array_interface__["data"][0] != start + first + j * step:
            return None
    return base[:, first // step: first // step + len(columns)]


@dataclass(frozen=True)
class _Origin:
    """Where the rows came from, for messages: the file's name, its bytes (BOM removed), where the rows start."""

    name: str
    data: Buffer
    start: int
    bom: int


def _read_body(body: Buffer, names: list[str], plan: CsvPlan, origin: _Origin) -> pa.Table:
    """The rows read by Arrow; a block is retried larger when one quoted value is bigger, a number column with
    another cell is read as text; every other failure is an InputError."""
    block = BLOCK_BYTES
    while True:
        try:
            return _arrow_csv(body, names, plan, block)
        except (pa.ArrowException, ValueError) as exc:
            message = str(exc)
            not_a_number = _NOT_A_NUMBER.search(message)
            column = names[int(not_a_number.group(1))] if not_a_number and \
                int(not_a_number.group(1)) < len(names) else None
            if column in plan.numbers:
                plan = plan.without(column)  # read as text: its cells are named later
                continue
            if plan.numbers and "conversion error" in message:
                plan = plan.without()
                continue
            if "straddl" in message and block < min(len(body) + 1, MAX_BLOCK_BYTES):
                block = min(block * 16, len(body) + 1, MAX_BLOCK_BYTES)  # a quoted value bigger than a block
                continue
            raise _csv_fault(exc, body, names, plan, block, origin) from None


def _csv_fault(exc: Exception, body: Buffer, names: list[str], plan: CsvPlan, block: int,
               origin: _Origin) -> InputError:
    """Arrow's failure to read the rows, said for the person who made the file."""
    message = str(exc)
    if re.search(r"Expected \d+ columns, got \d+", message):
        return _wrong_field_count(body, names, plan, block, origin.name)
    if "UTF8" in message or "UTF-8" in message:
        position = _first_bad_utf8(body)
        if position is not None:
            return _not_utf8(origin.data, origin.start + position, origin.name, origin.bom)
    if isinstance(exc, pa.ArrowMemoryError):
        return input_error("a file that fits in this machine's memory",
                           f"'{origin.name}' ({describe_size(len(origin.data))}), which did not",
                           "keep only the rows and columns you need, or lower the size limit")
    return input_error(f"a well-formed CSV in '{origin.name}'",
                       "rows the CSV reader cannot split into fields (often a quote that never closes)",
                       "check the quotes and line endings, or export the file again")


# ---------------------------------------------------------------- Parquet


_LEFT_OUT_KINDS = ((pa.types.is_struct, "struct"), (pa.types.is_map, "map"), (pa.types.is_union, "union"),
                   (lambda t: pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)
                    or getattr(pa.types, "is_list_view", lambda _: False)(t)
                    or getattr(pa.types, "is_large_list_view", lambda _: False)(t), "list"))


def _left_out(t: pa.DataType) -> str | None:
    """Why a Parquet column's type is not read (None if it is read)."""
    if isinstance(t, pa.ExtensionType):
        return _left_out(t.storage_type) or None
    if pa.types.is_dictionary(t):
        return _left_out(t.value_type)
    for test, kind in _LEFT_OUT_KINDS:
        if test(t):
            return kind
    return None


def _is_binary(t: pa.DataType) -> bool:
    return pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) \
        or getattr(pa.types, "is_binary_view", lambda _: False)(t)


def _value_lengths(dictionary: pa.Array) -> np.ndarray:
    """Bytes per dictionary value once expanded (strings: their length plus an offset; else the width)."""
    t = dictionary.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or _is_binary(t) or pa.types.is_string_view(t):
        lengths = pc.binary_length(dictionary).fill_null(0).to_numpy(zero_copy_only=False)
        return lengths.astype(np.int64) + 8
    width = getattr(t, "bit_width", 64) or 64
    return np.full(len(dictionary), max(1, width // 8), dtype=np.int64)


def _decoded_bytes(batch: pa.RecordBatch, cache: dict) -> int:
    """Bytes the batch takes once every dictionary column is expanded."""
    total = 0
    for arr in batch.columns:
        if pa.types.is_dictionary(arr.type) and len(arr.dictionary):
            d = arr.dictionary
            key = (d.buffers()[-1].address if d.buffers()[-1] is not None else 0, len(d))
            if key not in cache:
                cache.clear()
                cache[key] = _value_lengths(d)
            idx = arr.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
            total += int(cache[key][idx].sum()) if len(idx) else 0
        else:
            total += arr.nbytes
    return total


def _damaged(data: Buffer) -> str:
    if bytes(data[:4]) != b"PAR1":
        return "a file that does not start with Parquet's signature (PAR1)"
    if bytes(data[-4:]) != b"PAR1":
        return "a truncated file (it does not end with Parquet's footer)"
    return "a damaged file (its metadata cannot be read)"


def _parquet_fault(pf: pq.ParquetFile, columns: list[str], batch_rows: int, name: str,
                   exc: Exception) -> Exception:
    """Name the first column that cannot be read, reading one column at a time (memory: one batch)."""
    unsupported = isinstance(exc, pa.ArrowNotImplementedError)
    for col in columns:
        try:
            for _ in pf.iter_batches(batch_size=batch_rows, columns=[col]):
                pass
        except pa.ArrowNotImplementedError:
            unsupported, where = True, f"column '{col}'"
            break
        except (pa.ArrowException, OSError, ValueError, TypeError, IndexError):
            where = f"column '{col}'"
            break
    else:
        where = "its data pages"
    if unsupported:
        return input_error(f"a Parquet file evalcore can read in '{name}'",
                           f"{where} stored with a compression or encoding this reader does not support",
                           "write the file again with pandas or pyarrow (df.to_parquet), or upload a CSV")
    return input_error(f"a valid Parquet file in '{name}'", f"damaged data in {where}",
                       "write the file again, or upload a CSV")


_DICTIONARY_READABLE = {"PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "BIT_PACKED"}
PROBED_ROW_GROUPS = 64  # row groups whose dictionaries are measured before a column is read plainly


def _longest_in_dictionaries(pf: pq.ParquetFile, columns: list[str], group: int) -> dict[str, int]:
    """The longest dictionary value (bytes) of each column in a row group: one row read, which makes Arrow read
    the dictionary pages and nothing more of the rows."""
    longest = dict.fromkeys(columns, 0)
    for batch in pf.iter_batches(batch_size=1, row_groups=[group], columns=columns):
        for col, arr in zip(columns, batch.columns):
            values = arr.dictionary if pa.types.is_dictionary(arr.type) else arr
            if len(values):
                longest[col] = int(pc.max(pc.binary_length(values)).as_py() or 0)
        break
    return longest


_WIDTHS = {"BOOLEAN": 1, "INT32": 4, "INT64": 8, "INT96": 12, "FLOAT": 4, "DOUBLE": 8}


def _plan(source: pa.Buffer, meta: pq.FileMetaData, columns: list[str], limit: int) -> tuple[int, list[str], int]:
    """(rows per batch, text columns to read as dictionaries, a bound of the decoded size).

    The decoded size is bounded from the metadata: rows times the width of fixed-size values; for text, the
    encoded size plus, in dictionary-encoded row groups, the rows times the longest dictionary value (measured).
    A text column whose bound passes the limit is read as a dictionary, so that batches are counted before
    anything is expanded. Arrow cannot read delta encodings as dictionaries, and their values' sizes are unknown
    before decoding (each is at most the column chunk's encoded size): batches then shrink so that one batch
    stays within PARQUET_BATCH_BYTES, and the bound is unknown (-1)."""
    rows, unknown = 65_536, False
    selected = set(columns)
    text = set()
    bound = dict.fromkeys(selected, 0)
    dictionary_groups: dict[int, list[str]] = {}
    not_readable = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for j in range(group.num_columns):
            chunk = group.column(j)
            col = chunk.path_in_schema
            if col not in selected:
                continue
            if chunk.physical_type != "BYTE_ARRAY":
                width = _WIDTHS.get(chunk.physical_type) or max(1, meta.schema.column(j).length or 8)
                bound[col] += chunk.num_values * (width + 1)
                continue
            text.add(col)
            encodings = set(chunk.encodings)
            if "DELTA_BYTE_ARRAY" in encodings:
                rows, unknown = min(rows, max(1, PARQUET_BATCH_BYTES // max(1, chunk.total_uncompressed_size))), True
            if not encodings <= _DICTIONARY_READABLE:
                not_readable.add(col)
            bound[col] += chunk.total_uncompressed_size + 9 * chunk.num_values
            if chunk.has_dictionary_page:
                dictionary_groups.setdefault(g, []).append(col)
    probe = text - not_readable
    if 0 < len(dictionary_groups) <= PROBED_ROW_GROUPS and sum(bound.values()) <= limit:
        pf = pq.ParquetFile(pa.BufferReader(source), metadata=meta, read_dictionary=sorted(probe))
        for g, cols in dictionary_groups.items():
            cols = [c for c in cols if c in probe]
            for col, longest in (_longest_in_dictionaries(pf, cols, g).items() if cols else ()):
                bound[col] += meta.row_group(g).num_rows * longest
    elif dictionary_groups:
        unknown = True
        for cols in dictionary_groups.values():
            for col in cols:
                bound[col] = limit + 1  # not measured: counted batch by batch
    as_dictionary = sorted(c for c in probe if bound[c] > limit)
    total = -1 if unknown or as_dictionary else sum(bound.values())
    return rows, as_dictionary, total


def _first_bad_text_row(col: pa.ChunkedArray) -> int | None:
    """The first row (0-based) whose text is not UTF-8 (Parquet writers need not check), by halving the failing
    chunk; None if every row is UTF-8."""
    start = 0
    for chunk in col.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid:
            lo, hi = 0, len(chunk)  # the first bad row is in [lo, hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                try:
                    chunk.slice(lo, mid - lo).validate(full=True)
                    lo = mid
                except pa.ArrowInvalid:
                    hi = mid
            return start + lo
        start += len(chunk)
    return None


def _as_text_or_float(col: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A column as the frame keeps it: floats as float64, everything else as text (None: binary, not text)."""
    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.cast(t.value_type), t.value_type
    if isinstance(t, pa.ExtensionType):
        col, t = pa.chunked_array([c.storage for c in col.chunks], t.storage_type), t.storage_type
    if pa.types.is_floating(t):
        return col.cast(pa.float64())
    if pa.types.is_boolean(t):
        return pc.if_else(col, "True", "False")
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return col
    if _is_binary(t):
        try:
            return col.cast(pa.string())  # checks UTF-8
        except (pa.ArrowException, ValueError):
            return None
    return col.cast(pa.string())  # integers, dates, times, durations, decimals, nulls


SMALL_INTEGER_SPAN = 1 << 16  # integer labels within this span are encoded by counting, not hashing


def _small_integers(chunk: pa.Array) -> pa.DictionaryArray | None:
    """Integer labels without nulls within a small span as a dictionary, by counting (no hash table): class
    indices such as 0-9. None for any other array.

    >>> _small_integers(pa.array([7, 3, 7])).dictionary.to_pylist()
    [3, 7]
    """
    if not pa.types.is_integer(chunk.type) or chunk.null_count or not len(chunk):
        return None
    values = chunk.to_numpy()
    low, high = int(values.min()), int(values.max())
    if high - low >= SMALL_INTEGER_SPAN:
        return None
    offsets = (values - low).astype(np.int32) if low else values.astype(np.int32, copy=False)
    present = np.flatnonzero(np.bincount(offsets, minlength=high - low + 1))
    lut = np.zeros(high - low + 1, dtype=np.int32)
    lut[present] = np.arange(present.size, dtype=np.int32)
    indices = offsets if present.size == high - low + 1 else lut[offsets]
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(present + low, type=chunk.type))


def _as_label(col: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A label column as a dictionary of text, each distinct value converted (and its UTF-8 checked) once; None
    for a column that is not integers or text, or whose text is not all UTF-8 (read as text, so the row can be
    named)."""
    t = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
    if not (pa.types.is_integer(t) or pa.types.is_string(t) or pa.types.is_large_string(t)):
        return None
    chunks = []
    for chunk in col.chunks:
        encoded = chunk if pa.types.is_dictionary(chunk.type) else _small_integers(chunk)
        encoded = encoded if encoded is not None else pc.dictionary_encode(chunk)
        try:
            dictionary = encoded.dictionary.cast(pa.string())
            dictionary.validate(full=True)
        except (pa.ArrowException, ValueError):
            return None
        chunks.append(pa.DictionaryArray.from_arrays(encoded.indices.cast(pa.int32()), dictionary))
    return pa.chunked_array(chunks, pa.dictionary(pa.int32(), pa.string()))


def _counted_read(pf: pq.ParquetFile, columns: list[str], batch_rows: int, limit: int, name: str) -> pa.Table:
    """Read batch by batch, refusing as soon as the decoded size (dictionaries expanded) passes the limit."""
    batches: list[pa.RecordBatch] = []
    decoded = 0
    cache: dict[tuple[int, int], np.ndarray] = {}  # the last dictionary's value lengths
    for batch in pf.iter_batches(batch_size=batch_rows, columns=columns):
        decoded += _decoded_bytes(batch, cache)
        if decoded > limit:
            raise too_large(limit, f"'{name}', a Parquet file that expands to more than {describe_size(limit)} "
                                   "when decoded")
        batches.append(batch)
    if not batches:
        return pf.schema_arrow.empty_table().select(columns)
    return pa.Table.from_batches(batches, schema=batches[0].schema)


def read_parquet_table(data: Buffer, name: str, limit: int,
                       labels: Callable[[list[str]], Collection[str]] | None = None) -> pd.DataFrame:
    """A Parquet file's columns of single values; refused once its decoded size passes ``limit``. The columns
    ``labels(names)`` names are text Categoricals (each distinct value converted once), floats are float64, the
    rest text."""
    source, meta, schema = _parquet_metadata(data, name)
    if meta.num_columns > MAX_COLUMNS:
        raise too_many_columns(name, f"{meta.num_columns:,}")
    names = [str(f.name) for f in schema]
    left_out = [(f.name, why) for f in schema if (why := _left_out(f.type))]
    columns = [f.name for f in schema if not _left_out(f.type)]
    check_names(names, name)
    if not columns:
        raise input_error(f"columns of single values in '{name}'", "none" if not names else
                          f"only columns of lists, structs or maps ({preview([c for c, _ in left_out])})",
                          "write the labels, predictions and scores as plain columns")
    table = _read_columns(source, meta, columns, limit, name)
    label_names = set(labels(columns)) if labels is not None else set()
    kept, arrays, unreadable = _single_value_columns(columns, table, name, label_names)
    frame = frame_of(pa.table(arrays, names=kept)) if kept else pd.DataFrame()
    frame.columns = kept
    nulls = _null_rows(kept, arrays)
    if nulls:
        frame.attrs["nulls"] = nulls
    dropped = [f"'{c}' ({why})" for c, why in left_out] + unreadable
    if dropped:
        frame.attrs["warnings"] = (f"Column(s) {preview(dropped)} of '{name}' were left out: evalcore reads "
                                   "columns of single values (numbers, text, dates, true/false).",)
    return frame


def _parquet_metadata(data: Buffer, name: str) -> tuple[pa.Buffer, pq.FileMetaData, pa.Schema]:
    """The file's buffer, metadata and Arrow schema; a file that is not Parquet is an error."""
    try:
        source = pa.py_buffer(data)
        meta = pq.ParquetFile(pa.BufferReader(source)).metadata
        return source, meta, meta.schema.to_arrow_schema()
    except (pa.ArrowException, OSError, ValueError, TypeError, IndexError, KeyError, OverflowError):
        raise input_error(f"a valid Parquet file in '{name}'", _damaged(data),
                          "write the file again, or upload a CSV") from None


def _read_columns(source: pa.Buffer, meta: pq.FileMetaData, columns: list[str], limit: int, name: str) -> pa.Table:
    """The columns read: in one go when the metadata shows they fit in ``limit``, else counted batch by batch."""
    batch_rows = 1
    try:
        batch_rows, as_dictionary, bound = _plan(source, meta, columns, limit)
        pf = pq.ParquetFile(pa.BufferReader(source), metadata=meta, read_dictionary=as_dictionary)
        if 0 <= bound <= limit:  # the metadata shows it fits: one read, on every core
            return pf.read(columns=columns)
        return _counted_read(pf, columns, batch_rows, limit, name)
    except InputError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        if isinstance(exc, pa.ArrowMemoryError):
            raise too_large(limit, f"'{name}', a Parquet file that does not fit in memory") from None
        raise _parquet_fault(pq.ParquetFile(pa.BufferReader(source), metadata=meta), columns, batch_rows, name,
                             exc) from None


def _single_value_columns(columns: list[str], table: pa.Table, name: str, labels: Collection[str] = ()
                          ) -> tuple[list[str], list[pa.Array], list[str]]:
    """(names kept, their columns as text or float, the unreadable ones described); text that is not UTF-8 is an
    error naming the row."""
    kept, arrays, unreadable = [], [], []
    for col_name, col in zip(columns, table.columns):
        try:
            converted = _as_label(col) if col_name in labels else None
            converted = converted if converted is not None else _as_text_or_float(col)
        except (pa.ArrowException, ValueError, TypeError):
            converted = None
        if converted is None:
            unreadable.append(f"'{col_name}' ({'binary data' if _is_binary(col.type) else col.type})")
            continue
        if pa.types.is_string(converted.type) or pa.types.is_large_string(converted.type):
            bad = _first_bad_text_row(converted)
            if bad is not None:
                raise input_error(f"UTF-8 text in column '{col_name}' of '{name}'",
                                  f"bytes that are not UTF-8 in row {bad + 1:,}",
                                  "write the file again with pandas or pyarrow (df.to_parquet), or upload a CSV")
        kept.append(col_name)
        arrays.append(converted)
    return kept, arrays, unreadable


def _null_rows(kept: list[str], arrays: list[pa.Array]) -> dict[str, tuple[int, list[int]]]:
    """For each column with missing values: (how many, the first five rows, from 1)."""
    nulls = {}
    for col_name, col in zip(kept, arrays):
        if col.null_count:
            first = pc.indices_nonzero(col.is_null()).slice(0, 5).to_pylist() if hasattr(pc, "indices_nonzero") \
                else np.flatnonzero(col.is_null().to_numpy(zero_copy_only=False))[:5].tolist()
            nulls[col_name] = (col.null_count, [r + 1 for r in first])
    return nulls
