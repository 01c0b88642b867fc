"""read_predictions on valid files that were refused, and on bad files whose messages carried library internals."""

from __future__ import annotations

import datetime
import gzip
import io
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from evalcore.errors import InputError
from evalcore.predictions import load_frame, read_predictions

# Words of Arrow's, pandas', zlib's and Parquet's own messages: none may reach a user.
INTERNALS = re.compile(r"straddl|block size|ArrowInvalid|Arrow|pyarrow|thrift|magic bytes|Parquet magic|"
                       r"CSV parse error|conversion error|zlib|Error -\d|malloc|Couldn't|deserializ|"
                       r"Traceback|column #\d", re.IGNORECASE)
TEXT = "y_true,y_pred,score,note\nchat,chat,0.9,猫\ncafé,chat,0.2,été\nchat,café,0.4,x\n"
LABELS, NOTES = ["chat", "café", "chat"], ["猫", "été", "x"]


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _refusal(data: bytes, name: str) -> str:
    with pytest.raises(InputError) as info:
        p = read_predictions(data, name=name)
        p.evaluate()
    message = str(info.value)
    assert message.startswith("Expected") and ". Fix: " in message, message
    assert not INTERNALS.search(message.split(". Fix: ")[0]), message  # a fix may name a tool
    return message


def test_a_10_mb_quoted_multiline_field_is_read():
    note = ("line of a long note, with a comma\n" * 300_000)[:10_000_000]
    data = ('y_true,y_pred,note\na,a,"' + note + '"\nb,a,short\n').encode()
    p = read_predictions(data, name="long.csv")
    assert p.n_rows == 2 and p.frame["note"].str.len().tolist() == [len(note), 5]
    assert p.y_true.tolist() == ["a", "b"]
    gz = read_predictions(gzip.compress(data, 1), name="long.csv.gz")
    assert gz.frame["note"].iloc[0] == note


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16_and_utf32_with_and_without_bom_are_read(codec, bom):
    data = (("\ufeff" if bom else "") + TEXT).encode(codec)
    p = read_predictions(data, name="wide.csv")
    assert p.y_true.tolist() == LABELS and p.frame["note"].tolist() == NOTES
    np.testing.assert_allclose(p.score, [0.9, 0.2, 0.4])
    assert read_predictions(gzip.compress(data), name="wide.csv.gz").y_true.tolist() == LABELS


@pytest.mark.parametrize("codec, what", [("utf-16-le", "UTF-16 (little-endian)"),
                                         ("utf-32-be", "UTF-32 (big-endian)")])
def test_damaged_utf16_says_what_the_file_is_and_how_to_save_it(codec, what):
    data = TEXT.encode(codec)
    message = _refusal(data[:-1], "cut.csv")  # stops in the middle of a character
    assert f"Expected {what} text in 'cut.csv'" in message and "at the end" in message, message
    assert "save the file as UTF-8 (in Excel: CSV UTF-8)" in message, message


def test_a_lone_utf16_surrogate_is_located():
    data = bytearray(TEXT.encode("utf-16-le"))
    data[10:12] = b"\x00\xd8"  # the first half of a pair, alone
    message = _refusal(bytes(data), "bad.csv")
    assert "not valid UTF-16 near byte 10" in message, message


def test_binary_files_are_named_by_kind():
    assert "zip archive" in _refusal(b"PK\x03\x04" + bytes(200), "book.xlsx")
    assert "binary data" in _refusal(bytes(range(256)) * 4, "x.csv")


def test_bytes_that_are_not_utf8_are_located_past_the_first_block():
    data = b"y_true,y_pred\n" + b"1,1\n" * 30_000 + "café,1\n".encode("cp1252") + b"0,0\n"
    message = _refusal(data, "latin.csv")
    assert "not UTF-8 at byte 120,018 (line 30,002, byte 0xE9)" in message, message
    assert "CSV UTF-8" in message
    assert "at byte 18 (line 2" in _refusal("y_true,y_pred\ncafé,1\n".encode("latin-1"), "l.csv")


def test_a_row_with_the_wrong_number_of_fields_is_named():
    data = b"y_true,y_pred\n" + b"a,a\n" * 40_000 + b'b,"x\ny",z\n' + b"a,a\n"
    message = _refusal(data, "ragged.csv")
    assert "2 fields in every row" in message and "3 in row 40,001" in message, message


def test_a_quote_that_never_closes_is_described_plainly():
    message = _refusal(b'y_true,y_pred\na,a\n"b,b\nc,c\n', "q.csv")
    assert "1 in row 2" in message, message


def test_blank_header_names_get_pandas_names_and_a_quoted_header_may_span_lines():
    frame, _ = load_frame(b"y_true,y_pred,,\na,a,,\nb,b,x,\n", "excel.csv")
    assert list(frame.columns) == ["y_true", "y_pred", "Unnamed: 2", "Unnamed: 3"]
    p = read_predictions(b'\n\n"y_true",y_pred,"a\nnote"\na,a,1\nb,b,2\n', name="h.csv")
    assert list(p.frame.columns) == ["y_true", "y_pred", "a\nnote"] and p.n_rows == 2


def test_row_and_rows():
    assert "in row 2 " in _refusal(b"y_true,score\n1,0.9\n0,abc\n1,0.3\n", "t.csv") + " "
    message = _refusal(b"y_true,score\n1,0.9\n0,abc\n1,0.3\n0,x\n", "t.csv")
    assert "text in rows 2, 4 (e.g. 'abc', 'x')" in message, message
    assert "blank cells in row 2" in _refusal(b"y_true,score\n1,0.9\n0,\n", "t.csv")
    message = _refusal(b"y_true,prob_a,prob_b\na,1.5,0.1\nb,0.5,0.5\n", "p.csv")
    assert "1.5 in row 1." in message, message
    assert "rows 1, 2" in _refusal(b"y_true,y_pred\n,a\n ,b\n", "b.csv")


def test_a_null_in_a_parquet_score_column_is_called_missing():
    message = _refusal(_parquet(pa.table({"y_true": ["a", "b", "a"], "score": [0.1, None, 0.3]})), "n.parquet")
    assert "missing values (null) in row 2" in message and "text" not in message, message
    message = _refusal(_parquet(pa.table({"y_true": ["a", None, "b", None], "y_pred": ["a"] * 4})), "n.parquet")
    assert "'y_true'" in message and "missing values (null) in rows 2, 4" in message, message
    nan = _refusal(_parquet(pa.table({"y_true": ["a", "b"], "score": [0.1, float("nan")]})), "nan.parquet")
    assert "NaN or infinity in row 2" in nan, nan


def test_parquet_types_are_read_as_text_or_floats():
    table = pa.table({
        "y_true": pa.array([1, 0, 1], pa.int64()), "y_pred": pa.array([1, 0, 0], pa.int8()),
        "flag": pa.array([True, False, None]),
        "score": pa.array([0.9, 0.2, 0.7], pa.float32()),
        "day": pa.array([datetime.date(2024, 1, 2)] * 3),
        "site": pa.array(["n", "s", "n"]).dictionary_encode(),
        "amount": pa.array([Decimal("1.00"), Decimal("2.50"), Decimal("3")], pa.decimal128(5, 2)),
        "embedding": pa.array([[1.0, 2.0], [3.0], []]),
        "meta": pa.array([{"a": 1}, {"a": 2}, {"a": 3}]),
    })
    p = read_predictions(_parquet(table), name="types.parquet")
    assert p.y_true.tolist() == ["1", "0", "1"] and p.y_pred.tolist() == ["1", "0", "0"]
    assert p.frame["flag"].tolist()[:2] == ["True", "False"] and pd.isna(p.frame["flag"].iloc[2])
    np.testing.assert_allclose(p.score, [0.9, 0.2, 0.7], rtol=1e-6)
    assert p.frame["day"].tolist() == ["2024-01-02"] * 3 and p.frame["site"].tolist() == ["n", "s", "n"]
    assert p.frame["amount"].tolist() == ["1.00", "2.50", "3.00"]
    assert "embedding" not in p.frame and "meta" not in p.frame
    assert len(p.warnings) == 1 and "'embedding' (list)" in p.warnings[0] and "'meta' (struct)" in p.warnings[0]


def test_parquet_with_a_pandas_index_keeps_every_column():
    df = pd.DataFrame({"y_true": ["a", "b"], "y_pred": ["a", "a"]}, index=pd.Index([10, 20], name="id"))
    buf = io.BytesIO()
    df.to_parquet(buf)
    p = read_predictions(buf.getvalue(), name="i.parquet")
    assert list(p.frame.columns) == ["y_true", "y_pred", "id"] and p.frame["id"].tolist() == ["10", "20"]


@pytest.mark.parametrize("cut", [4, 12, 60, -12, -4, -1])
def test_damaged_parquet_messages_are_plain(cut):
    data = _parquet(pa.table({"y_true": ["a", "b"] * 50, "score": np.linspace(0, 1, 100)}))
    damaged = data[:cut] if cut > 0 else data[:cut]
    message = _refusal(damaged, "cut.parquet")
    assert "cut.parquet" in message and "Parquet" in message, message
    flipped = bytearray(data)
    flipped[30:60] = bytes(30)  # zeros over the first column's data page
    _refusal(bytes(flipped), "flipped.parquet")


def test_parquet_with_no_readable_columns_or_too_many():
    _refusal(_parquet(pa.table({"v": pa.array([[1], [2]])})), "lists.parquet")
    many = pa.table({f"c{i}": pa.array([1.0]) for i in range(10_001)})
    assert "at most 10,000 columns" in _refusal(_parquet(many), "wide.parquet")


def test_file_objects_with_names_and_text_streams():
    assert read_predictions(io.StringIO(TEXT), name="t.csv").frame["note"].tolist() == NOTES
    _refusal(b"", "empty.parquet")


def test_paths_that_cannot_be_read(tmp_path):
    for path, words in ((tmp_path / "missing.csv", "no file at"), (tmp_path, "folder"),
                        ("bad\0name.csv", "cannot be opened"), ("x" * 5000 + ".csv", "name too long")):
        message = _refusal(path, "")
        assert words in message.lower(), message
        assert len(message) < 500, message


def test_parquet_text_that_is_not_utf8_is_named():
    """A writer that did not check wrote bytes that are not UTF-8 into a text column (Arrow raised on them)."""
    bad = pa.array([b"a", b"\xff\xfe", b"b"], pa.binary()).view(pa.string())
    for use_dictionary in (True, False):
        buf = io.BytesIO()
        pq.write_table(pa.table({"y_true": ["a", "b", "a"], "y_pred": ["a", "b", "b"], "site": bad}), buf,
                       use_dictionary=use_dictionary)
        message = _refusal(buf.getvalue(), "u.parquet")
        assert "UTF-8 text in column 'site'" in message and "in row 2." in message, message


def _pq_with(table: pa.Table, **options) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, **options)
    return buf.getvalue()


def _read_under_limits(data: bytes, name: str) -> list[pd.DataFrame]:
    """Frames read under limits from the file's size to 1 GB: limits below the decoded size's bound make the
    reader count decoded batches; refusals must be for the size, never 'damaged'."""
    frames = []
    for limit in [len(data) * 2**k for k in range(8)] + [10**9]:
        try:
            frames.append(load_frame(data, name, max_bytes=limit)[0])
        except InputError as exc:
            assert "expands to more than" in str(exc), str(exc)
    return frames


@pytest.mark.parametrize("encoding", ["DELTA_BYTE_ARRAY", "DELTA_LENGTH_BYTE_ARRAY", "PLAIN"])
def test_parquet_text_in_every_encoding_is_read_whether_counted_or_not(encoding):
    """Found by the fuzzer: Arrow cannot read delta-encoded text as a dictionary (the counted read did)."""
    n = 5_000
    table = pa.table({"y_true": pa.array(["a", "b"] * (n // 2)), "note": pa.array(["xy", "z"] * (n // 2))})
    data = _pq_with(table, use_dictionary=False, column_encoding={"y_true": "PLAIN", "note": encoding})
    frames = _read_under_limits(data, "d.parquet")
    assert len(frames) >= 2 and all(f["note"].tolist() == ["xy", "z"] * (n // 2) for f in frames)


def test_an_all_null_dictionary_column_is_read_whether_counted_or_not():
    """Found by the fuzzer: an empty dictionary made the counted read fail as 'damaged'."""
    n = 5_000
    data = _pq_with(pa.table({"y_true": pa.array(["a", "b"] * (n // 2)),
                              "note": pa.array([None] * n, pa.string()).dictionary_encode()}))
    frames = _read_under_limits(data, "n.parquet")
    assert len(frames) >= 2 and all(f["note"].isna().all() and len(f) == n for f in frames)
