"""Fuzzing read_predictions: files built from parts, then damaged.

CSV-like files from a header of role names and random cells (numbers, text, blanks, NaN, infinity, quotes,
delimiters, line breaks inside values), any delimiter and line ending, some rows with a field more or less,
encoded as UTF-8 (with or without BOM), UTF-16 or UTF-32 (either byte order, with or without BOM), Latin-1
or cp1252, sometimes gzipped, sometimes large, then maybe truncated or hit by random byte edits. Parquet files
from pyarrow with random column types (ints, floats, bools, text, binary, dates, timestamps, decimals,
dictionaries, nulls, lists, structs, maps; duplicate names), writer settings (compression, dictionary and delta
encodings, page versions, row groups), maybe damaged the same way. Bombs: gzip and Parquet files that expand far
beyond a small limit.

The only outcomes allowed are Predictions that evaluate (or are refused by evaluate with an InputError), or an
InputError in the project's template without any library's words; and the memory the process gains while
reading one file stays under a bound (its peak is reset before each file through /proc/self/clear_refs, read
from VmHWM after).

Metamorphic checks: the same text as UTF-8, UTF-16 or UTF-32 (with a BOM) or gzipped reads the same; the same
Parquet table written with dictionaries, plain or delta-encoded text, read under limits from the file's size up
(which make the reader count decoded batches) gives the same frame or a refusal for the size; Arrow's number
parsing equals pandas'.

Fixed profile: derandomized, no example database, a fixed number of examples (1,000 per file kind), so every run
tries the same files; about 40 s on one core.
"""

from __future__ import annotations

import datetime
import decimal
import gzip
import io
import re
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from evalcore.errors import InputError
from evalcore.predictions import load_frame, read_predictions

MB = 2**20
FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True, max_examples=1000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
INTERNALS = re.compile(r"straddl|block size|ArrowInvalid|Arrow|pyarrow|thrift|magic bytes|CSV parse error|"
                       r"conversion error|zlib|Error -\d|malloc|Couldn't|deserializ|Traceback|column #\d|"
                       r"\bnumpy\b|\bpandas\b|errno|\[Errno", re.IGNORECASE)

ROLE_NAMES = ["y_true", "label", "target", "truth", "y_pred", "pred", "prediction", "score", "prob", "p",
              "prob_a", "prob_b", "prob_0", "prob_1", "proba_cat", "p_dog", "site", "id", "", " ", "Y_TRUE"]
names = st.one_of(st.sampled_from(ROLE_NAMES), st.text(max_size=8))
other_names = st.one_of(st.sampled_from(["site", "id", "group", "", " ", "note"]), st.text(max_size=8))
cells = st.one_of(
    st.sampled_from(["", " ", "0", "1", "a", "b", "cat", "dog", "NaN", "nan", "inf", "-inf", "None", "NA", "007",
                     "1,5", "0,25", "0.5", "1e400", "-0", "TRUE", "café", "猫", '"', "\\", "\x00"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(0, 1).map(lambda x: f"{x:.3f}"),
    st.integers(-5, 105).map(str),
    st.text(max_size=10),
)


LAYOUTS = [("y_true", "y_pred"), ("y_true", "score"), ("label", "prob_a", "prob_b"), ("target", "prediction"),
           ("y_true", "y_pred", "score"), ("actual", "predicted", "prob_0", "prob_1", "prob_2"), ("y_true",)]
LABEL_SETS = [["a", "b"], ["0", "1"], ["cat", "dog", "emu"], ["yes", "no"], [" a", "b "], ["0", "1", "2"],
              ["007", "NA", "None"]]


def _role(column: str) -> str:
    if column in ("target", "prediction"):
        return "value"
    if column.startswith("prob") or column == "score":
        return "score"
    return "label"


def _cell_strategy(role: str, labels: list[str], scale: float) -> st.SearchStrategy[str]:
    if role == "label":
        return st.sampled_from(labels)
    if role == "score":
        return st.floats(0, 1).map(lambda x: f"{x * scale:.4g}")
    return st.floats(-1000, 1000).map(lambda x: f"{x:.6g}")


def _quoted(cell: str, mode: str, sep: str, coin: bool) -> str:
    needs = any(ch in cell for ch in (sep, '"', "\n", "\r"))
    if mode == "all" or (mode == "minimal" and needs) or (mode == "random" and coin):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def csv_texts(draw) -> tuple[str, str, str]:
    """(text, delimiter, line ending) of a CSV-like file: a layout of role columns plus others, then noise."""
    header = [*draw(st.sampled_from(LAYOUTS)), *draw(st.lists(other_names, max_size=2))]
    if draw(st.integers(0, 9)) == 0:
        header[draw(st.integers(0, len(header) - 1))] = draw(names)
    labels = draw(st.sampled_from(LABEL_SETS))
    scale = draw(st.sampled_from([1] * 6 + [100, 3]))
    noise = draw(st.sampled_from([0.0] * 5 + [0.02, 0.3]))
    roles = [_role(c) if c in sum(LAYOUTS, ()) else "other" for c in header]
    strategies = [cells if r == "other" else _cell_strategy(r, labels, scale) for r in roles]
    n_rows = draw(st.sampled_from([0, *range(1, 11)]))
    shapes = st.sampled_from([0] * 40 + [-1, 1, -len(header)])
    rows = []
    for _ in range(n_rows):
        row = [draw(cells) if noise and draw(st.floats(0, 1)) < noise else draw(s) for s in strategies]
        change = draw(shapes)
        rows.append(row[: len(row) + change] if change < 0 else row + draw(st.lists(cells, min_size=change,
                                                                                    max_size=change)))
    sep = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    eol = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    mode = draw(st.sampled_from(["minimal", "minimal", "minimal", "all", "none", "random"]))
    lines = [sep.join(_quoted(c, mode, sep, draw(st.booleans())) for c in row) for row in [header, *rows]]
    body = eol.join(lines[1:])
    repeat = draw(st.sampled_from([1] * 12 + [200, 5_000]))
    if repeat > 1 and body:
        body = eol.join([body] * repeat)
    text = lines[0] + (eol + body if body else "") + draw(st.sampled_from([eol, eol, "", eol * 2]))
    return text, sep, eol


ENCODINGS = ["utf-8"] * 12 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
             "utf-32-be", "latin-1", "cp1252"]


def _encode(text: str, encoding: str, bom: bool) -> bytes:
    if encoding in ("latin-1", "cp1252"):
        return text.encode(encoding, errors="replace")
    data = text.encode(encoding, errors="surrogatepass")
    if bom and encoding.endswith(("-le", "-be")):
        data = "\ufeff".encode(encoding) + data
    return data


@st.composite
def damage(draw, data: bytes) -> tuple[bytes, bool]:
    """Maybe truncate, flip, insert or delete bytes; (data, whether it is intact)."""
    original = bytes(data)
    data = bytearray(data)
    for _ in range(draw(st.sampled_from([0] * 12 + [1, 2, 5]))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "zero"]))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at: at + draw(st.integers(1, 8))]
        elif kind == "truncate":
            del data[at:]
        else:
            data[at: at + 8] = bytes(min(8, len(data) - at))
    return bytes(data), bytes(data) == original


@st.composite
def csv_files(draw) -> tuple[bytes, bool, str]:
    """(file, name, whether it is intact)."""
    text, _, _ = draw(csv_texts())
    data = _encode(text, draw(st.sampled_from(ENCODINGS)), draw(st.booleans()))
    name = draw(st.sampled_from(["p.csv", "p.tsv", "p.txt", "upload", "P.CSV"]))
    if draw(st.integers(0, 5)) == 0:
        data = gzip.compress(data, draw(st.integers(1, 9)))
        name = draw(st.sampled_from(["p.csv.gz", "p.gz", "upload"]))
    return (*draw(damage(data)), name)


# ---------------------------------------------------------------- Parquet


def _values(draw, kind: str, n: int) -> pa.Array:
    nulls = draw(st.sampled_from(["none", "none", "some", "all"]))

    def column(strategy):
        return [None if nulls == "all" or (nulls == "some" and draw(st.integers(0, 4)) == 0) else draw(strategy)
                for _ in range(n)]

    if kind.startswith(("int", "uint")):
        t = getattr(pa, kind)()
        bits = t.bit_width
        lo, hi = (0, 2**bits - 1) if kind.startswith("u") else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        return pa.array(column(st.integers(lo, hi)), t)
    if kind in ("float32", "float64"):
        return pa.array(column(st.floats(allow_nan=True, allow_infinity=True, width=32 if kind == "float32"
                                         else 64)), getattr(pa, kind)())
    if kind == "float16":
        return pa.array(np.array(draw(st.lists(st.floats(0, 1, width=16), min_size=n, max_size=n)),
                                 dtype=np.float16))
    if kind == "prob":
        return pa.array(column(st.floats(0, 1)), pa.float64())
    if kind == "bool":
        return pa.array(column(st.booleans()), pa.bool_())
    if kind in ("string", "large_string", "dictionary"):
        arr = pa.array(column(st.one_of(st.sampled_from(["a", "b", "0", "1", ""]), st.text(max_size=6))),
                       pa.large_string() if kind == "large_string" else pa.string())
        return arr.dictionary_encode() if kind == "dictionary" else arr
    if kind == "binary":
        return pa.array(column(st.binary(max_size=6)), pa.binary())
    if kind == "bad_utf8":  # text whose bytes are not all UTF-8 (a writer that did not check)
        return pa.array(column(st.binary(max_size=4)), pa.binary()).view(pa.string())
    return _dated_or_nested_values(draw, kind, n, column)


def _dated_or_nested_values(draw, kind: str, n: int, column) -> pa.Array:
    """Dates, times, durations, decimals, nulls, lists, structs and maps (``column`` draws a column's cells)."""
    if kind == "date32":
        return pa.array(column(st.dates()), pa.date32())
    if kind == "timestamp":
        unit = draw(st.sampled_from(["s", "ms", "us", "ns"]))
        tz = draw(st.sampled_from([None, "UTC", "Europe/Paris"]))
        lo = datetime.datetime(1700, 1, 1) if unit == "ns" else datetime.datetime(1, 1, 1)
        hi = datetime.datetime(2200, 1, 1) if unit == "ns" else datetime.datetime(9999, 1, 1)
        values = column(st.datetimes(min_value=max(lo, datetime.datetime(1678, 1, 1)) if unit == "ns" else lo,
                                     max_value=hi))
        return pa.array(values, pa.timestamp(unit, tz))
    if kind == "time":
        return pa.array(column(st.times()), pa.time64("us"))
    if kind == "duration":
        return pa.array(column(st.integers(-(10**15), 10**15)), pa.duration("us"))
    if kind == "decimal":
        return pa.array(column(st.decimals(-999, 999, places=2, allow_nan=False, allow_infinity=False)),
                        pa.decimal128(7, 2))
    if kind == "null":
        return pa.nulls(n)
    if kind == "list":
        return pa.array(column(st.lists(st.floats(0, 1), max_size=3)), pa.list_(pa.float64()))
    if kind == "struct":
        return pa.array(column(st.fixed_dictionaries({"a": st.integers(0, 9), "b": st.text(max_size=3)})),
                        pa.struct([("a", pa.int64()), ("b", pa.string())]))
    if kind == "map":
        return pa.array(column(st.lists(st.tuples(st.text(max_size=3), st.integers(0, 9)), max_size=2)),
                        pa.map_(pa.string(), pa.int64()))
    raise AssertionError(kind)


KINDS = ["int8", "int16", "int32", "int64", "uint8", "uint64", "float16", "float32", "float64", "prob", "prob",
         "bool", "string", "string", "large_string", "dictionary", "binary", "date32", "timestamp", "time",
         "duration", "decimal", "null", "list", "struct", "map", "bad_utf8"]


LABEL_KINDS = ["string", "string", "dictionary", "large_string", "int64", "int8", "bool", "float64", "bad_utf8"]
SCORE_KINDS = ["prob", "prob", "prob", "float32", "decimal", "float16", "string"]


def _role_values(draw, kind: str, role: str, labels: list[str], n: int) -> pa.Array:
    """Values that fit the role most of the time, of the given Arrow kind."""
    nulls = draw(st.sampled_from([False] * 6 + [True]))

    def maybe_null(values):
        return [None if nulls and draw(st.integers(0, 3)) == 0 else v for v in values]

    if role == "label":
        codes = draw(st.lists(st.integers(0, len(labels) - 1), min_size=n, max_size=n))
        if kind == "bad_utf8":
            return pa.array([labels[c].encode() + (b"\xff" if c else b"") for c in codes]).view(pa.string())
        if kind == "bool":
            return pa.array(maybe_null([c == 1 for c in codes]), pa.bool_())
        if kind in ("int64", "int8", "float64"):
            return pa.array(maybe_null(codes), getattr(pa, kind)())
        arr = pa.array(maybe_null([labels[c] for c in codes]),
                       pa.large_string() if kind == "large_string" else pa.string())
        return arr.dictionary_encode() if kind == "dictionary" else arr
    values = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    if role == "value":
        values = [v * 100 - 50 for v in values]
    if kind == "decimal":
        return pa.array(maybe_null([decimal.Decimal(f"{v:.2f}") for v in values]), pa.decimal128(7, 2))
    if kind == "string":
        return pa.array(maybe_null([f"{v:.3f}" for v in values]), pa.string())
    if kind == "float16":
        return pa.array(np.array(values, dtype=np.float16))
    return pa.array(maybe_null(values), pa.float32() if kind == "float32" else pa.float64())


@st.composite
def parquet_tables(draw) -> pa.Table:
    """A layout of role columns of fitting types, plus columns of random types; sometimes a name or a
    column's type replaced at random; sometimes the rows repeated (a small file that decodes large)."""
    n = draw(st.sampled_from([0, *range(1, 13)]))
    layout = list(draw(st.sampled_from(LAYOUTS)))
    labels = draw(st.sampled_from(LABEL_SETS))
    arrays, cols = [], []
    try:
        for col in layout:
            role = _role(col)
            if draw(st.integers(0, 9)) == 0:
                arrays.append(_values(draw, draw(st.sampled_from(KINDS)), n))
            else:
                kind = draw(st.sampled_from(LABEL_KINDS if role == "label" else SCORE_KINDS))
                arrays.append(_role_values(draw, kind, role, labels, n))
            cols.append(col if draw(st.integers(0, 9)) else draw(names))
        for _ in range(draw(st.integers(0, 3))):
            arrays.append(_values(draw, draw(st.sampled_from(KINDS)), n))
            cols.append(draw(other_names))
        table = pa.Table.from_arrays(arrays, names=cols)
        repeat = draw(st.sampled_from([1] * 4 + [50, 500]))
        return pa.concat_tables([table] * repeat) if repeat > 1 and n else table
    except (pa.ArrowException, OverflowError, ValueError, decimal.InvalidOperation):
        reject()


def _write(table: pa.Table, encoding: str, **options) -> bytes:
    """The table as Parquet with dictionaries (Arrow's default), plain, or delta-encoded text columns."""
    if encoding != "dictionary":
        options["use_dictionary"] = False
    text = [f.name for f in table.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            or pa.types.is_binary(f.type)]
    if encoding.startswith("DELTA") and text and len(set(table.column_names)) == len(table.column_names):
        options["column_encoding"] = dict.fromkeys(text, encoding)
    buf = io.BytesIO()
    try:
        pq.write_table(table, buf, **options)
    except (pa.ArrowException, ValueError):
        reject()
    return buf.getvalue()


writer_options = st.fixed_dictionaries({
    "compression": st.sampled_from(["snappy", "gzip", "zstd", "brotli", "lz4", "none"]),
    "data_page_version": st.sampled_from(["1.0", "2.0"]), "row_group_size": st.integers(1, 20),
    "write_statistics": st.booleans()})
ENCODINGS_PARQUET = ["dictionary", "plain", "DELTA_BYTE_ARRAY", "DELTA_LENGTH_BYTE_ARRAY"]


@st.composite
def parquet_files(draw) -> tuple[bytes, bool, str]:
    """(file, whether it is intact, name): a table written with random settings, maybe gzipped, maybe damaged."""
    encoding = draw(st.sampled_from(["dictionary", *ENCODINGS_PARQUET]))
    data = _write(draw(parquet_tables()), encoding, **draw(writer_options))
    name = draw(st.sampled_from(["p.parquet"] * 4 + ["p.pq", "upload", "p.parquet.gz"]))
    if name.endswith(".gz"):
        data = gzip.compress(data)
    return (*draw(damage(data)), name)


# ---------------------------------------------------------------- bombs


@st.composite
def bombs(draw) -> tuple[bytes, str, int]:
    """(file, name, limit): gzip or Parquet that expands to 10-200x the limit."""
    limit = draw(st.sampled_from([64 * 1024, MB, 4 * MB]))
    factor = draw(st.sampled_from([10, 50, 200]))
    kind = draw(st.sampled_from(["gzip", "parquet dictionary", "parquet nulls"]))
    if kind == "gzip":
        block = b"1,0.5\n" * (1 << 14)
        c = zlib.compressobj(1, zlib.DEFLATED, 31)
        parts = [c.compress(b"y_true,score\n")]
        parts += [c.compress(block) for _ in range(limit * factor // len(block) + 1)]
        return b"".join([*parts, c.flush()]), "bomb.csv.gz", limit
    n = limit * factor // (64 * 1024 if kind == "parquet dictionary" else 8) + 1
    other = (pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array(["x" * 65536]))
             if kind == "parquet dictionary" else pa.nulls(n, pa.float64()))
    buf = io.BytesIO()
    pq.write_table(pa.table({"y_true": pa.array(np.zeros(n, np.int8)), "score": other}), buf)
    return buf.getvalue(), "bomb.parquet", limit


# ---------------------------------------------------------------- the property


def _status() -> tuple[float, float]:
    text = Path("/proc/self/status").read_text()
    return tuple(int(text.split(f"{key}:")[1].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def _read(data: bytes, name: str, how: str, limit: int | None, folder: Path):
    if how == "path":
        path = folder / (name if name != "upload" else "upload")
        path.write_bytes(data)
        source = path
    elif how == "upload":
        source = io.BytesIO(data)
        source.name = name
    else:
        source = data
    return read_predictions(source, name=None if how != "bytes" else name, max_bytes=limit)


DAMAGE = re.compile(r"a valid Parquet file|Parquet file evalcore can read|complete gzip file|a gzip file in")


def _check(data: bytes, name: str, how: str, limit: int | None, bound_mb: float, intact: bool) -> None:
    """Predictions that evaluate, or an InputError in the template (never calling an intact file damaged);
    memory gained below ``bound_mb``."""
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from the current RSS
    before, _ = _status()
    with tempfile.TemporaryDirectory() as folder:
        try:
            p = _read(data, name, how, limit, Path(folder))
            assert p.n_rows > 0 and p.task in ("binary", "multiclass", "regression")
            assert limit is None or name.endswith(".gz") or len(data) <= limit
            try:
                report = p.evaluate()
                assert report.n_rows == p.n_rows
                event(f"evaluated: {p.task}")
            except InputError as exc:
                message = str(exc)
                assert message.startswith("Expected") and ". Fix: " in message, message
                event("read, refused by evaluate")
        except InputError as exc:
            message = str(exc)
            event("refused: " + re.sub(r"'[^']*'|\d[\d,.]*", "…", message)[:50])
            assert message.startswith("Expected") and ". Fix: " in message, message
            assert not INTERNALS.search(message.split(". Fix: ")[0]), message  # a fix may name a tool
            assert len(message) < 1_500, message
            assert not (intact and DAMAGE.search(message)), message
    _, peak = _status()
    assert peak - before < bound_mb, f"{peak - before:.0f} MB gained reading {len(data):,} bytes ({name})"


def _bound(data: bytes) -> float:
    """Memory a small file may take while read and evaluated: 150 MB of working space plus 30x its size (text
    cells become Python strings in pandas)."""
    return 150 + 30 * len(data) / MB


sources = st.sampled_from(["bytes", "bytes", "upload", "path"])
limits = st.sampled_from([None] * 12 + [1, 64, 1000, 3000, 10**9])


@FUZZ
@given(csv_files(), sources, limits)
def test_any_csv_like_file_reads_or_is_refused_plainly(file, how, limit):
    data, intact, name = file
    _check(data, name, how, limit, _bound(data), intact)


@FUZZ
@given(parquet_files(), sources, st.sampled_from([None] * 4 + [1, 1000, 0.5, 1.0, 2.0, 4.0, 4.0, 8.0]))
def test_any_parquet_file_reads_or_is_refused_plainly(file, how, limit):
    """A limit of a few times the file's size makes the reader count decoded batches instead of reading at once."""
    data, intact, name = file
    if isinstance(limit, float):
        limit = max(1, int(len(data) * limit))
    _check(data, name, how, limit, _bound(data), intact)


@settings(FUZZ, max_examples=120)
@given(parquet_tables(), writer_options)
def test_a_parquet_table_reads_the_same_in_every_encoding_and_under_any_limit(table, options):
    """The same table written with dictionaries, plain or delta-encoded text, read under limits from the file's
    size up (which make the reader count decoded batches, or read at once), gives the same frame, or the same
    refusal, or a refusal for the size; never 'damaged'."""
    outcomes = []
    for encoding in ENCODINGS_PARQUET:
        data = _write(table, encoding, **options)
        for limit in [len(data) * 2**k for k in range(0, 12, 2)] + [None]:
            try:
                outcomes.append(load_frame(data, "t.parquet", max_bytes=limit)[0])
            except InputError as exc:
                message = str(exc)
                assert not DAMAGE.search(message), (encoding, limit, message)
                if "Expected a file of at most" not in message:
                    outcomes.append(message)  # any other refusal is the table's, whatever the encoding or limit
    assert all(_same(o, outcomes[-1]) for o in outcomes), outcomes


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a.to_dict("list") == b.to_dict("list") or a.equals(b)


@settings(FUZZ, max_examples=12)
@given(bombs(), sources)
def test_bombs_are_refused_within_memory_near_the_limit(bomb, how):
    """A file expanding to 10-200x the limit costs at most 100 MB plus 3x the limit, not its expanded size."""
    data, name, limit = bomb
    with tempfile.TemporaryDirectory() as folder:
        Path("/proc/self/clear_refs").write_text("5")
        before, _ = _status()
        try:
            _read(data, name, how, limit, Path(folder))
            raise AssertionError(f"a bomb of {len(data):,} bytes was read under a limit of {limit:,}")
        except InputError as exc:
            assert "Expected a file of at most" in str(exc) and "raise the limit" in str(exc), str(exc)
        _, peak = _status()
    assert peak - before < 100 + 3 * limit / MB, f"{peak - before:.0f} MB gained on a {limit / MB:.2f} MB limit"


@st.composite
def same_text_variants(draw) -> tuple[str, list[bytes]]:
    text, _, _ = draw(csv_texts())
    text = text.replace("\x00", "")
    variants = [text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")]
    variants += ["\ufeff".encode(c) + text.encode(c) for c in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")]
    variants.append(gzip.compress(text.encode("utf-8"), 1))
    return text, variants


@FUZZ
@given(same_text_variants())
def test_the_encoding_and_gzip_do_not_change_the_result(case):
    """The same text as UTF-8 (with or without BOM), UTF-16 or UTF-32 (with a BOM) or gzip reads the same."""
    _, variants = case
    outcomes = []
    for i, data in enumerate(variants):
        name = "same.csv.gz" if i == len(variants) - 1 else "same.csv"
        try:
            p = read_predictions(data, name=name)
            outcomes.append(("ok", _comparable(p.frame), p.mapping, p.task))
        except InputError as exc:
            outcomes.append(("error", str(exc).replace("same.csv.gz", "same.csv")))
    assert all(o == outcomes[0] for o in outcomes), outcomes


def _comparable(frame) -> dict:
    """A frame's columns as lists, NaN (a column of numbers read by Arrow) as a marker that equals itself."""
    return {c: ["<NaN>" if isinstance(v, float) and v != v else v for v in values]
            for c, values in frame.to_dict("list").items()}


numbers = st.one_of(st.floats().map(repr), st.integers(-10**20, 10**20).map(str),
                    st.floats(-1e6, 1e6).map(lambda x: f" {x:.4f} "), st.floats(0, 1).map(lambda x: f"{x:.3e}"),
                    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "+1", ".5", "1.", "-0", "1,5", "1e400",
                                     "\u00a01\u2003", "١٢"]))


@settings(FUZZ, max_examples=300)
@given(st.one_of(st.lists(numbers, max_size=8), st.lists(cells, max_size=8)), st.booleans())
def test_numbers_are_parsed_as_pandas_parses_them(texts, decimal_comma):
    """The Arrow fast path of parse_numbers gives pandas' numbers (NaN where a cell is not a number)."""
    import pandas as pd

    from evalcore.predictions import parse_numbers
    series = pd.Series(texts, dtype="str")
    stripped = series.str.strip()
    if decimal_comma:
        stripped = stripped.str.replace(",", ".", regex=False)
    expected = pd.to_numeric(pd.Series(stripped.tolist(), dtype=object), errors="coerce").to_numpy(np.float64)
    np.testing.assert_array_equal(parse_numbers(series, decimal_comma), expected)
