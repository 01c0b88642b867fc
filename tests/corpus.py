"""Malformed predictions files: name -> (bytes, words the error message must contain)."""

from __future__ import annotations

import gzip
import io

import pandas as pd


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode())


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


GOOD = "y_true,y_pred,score\n1,1,0.9\n0,0,0.2\n1,0,0.4\n"

BAD_FILES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "empty.csv": (b"", ("empty",)),
    "whitespace.csv": (b"   \n\n  ", ("empty",)),
    "header_only.csv": (b"y_true,y_pred\n", ("header only",)),
    "header_only_crlf.csv": (b"y_true,y_pred,score\r\n", ("header only",)),
    "no_label_column.csv": (b"a,b\n1,0\n0,1\n", ("true-label", "a, b")),
    "one_column.csv": (b"y_true\n1\n0\n", ("one column", "y_true")),
    "one_column_semicolon_guess.csv": (b"label\n1\n", ("one column",)),
    "no_prediction_column.csv": (b"y_true,notes\n1,x\n0,y\n", ("prediction column", "notes")),
    "blank_label.csv": (b"y_true,y_pred\n1,1\n,0\n1,1\n", ("y_true", "row 2")),
    "blank_prediction.csv": (b"y_true,y_pred\n1,1\n0,\n", ("y_pred", "row 2")),
    "whitespace_label.csv": (b"y_true,y_pred\n1,1\n  ,0\n", ("y_true", "row 2")),
    "text_in_score.csv": (b"y_true,score\n1,0.9\n0,abc\n1,0.3\n", ("score", "row 2", "'abc'")),
    "blank_score.csv": (b"y_true,score\n1,0.9\n0,\n", ("score", "row 2")),
    "nan_score.csv": (b"y_true,score\n1,0.9\n0,nan\n", ("score", "NaN", "row 2")),
    "inf_score.csv": (b"y_true,score\n1,inf\n0,0.1\n", ("score", "row 1")),
    "neg_inf_score.csv": (b"y_true,score\n1,0.3\n0,-inf\n", ("score", "row 2")),
    "prob_above_one.csv": (b"y_true,prob_0,prob_1\n1,0.1,1.4\n0,0.9,0.1\n", ("prob_1", "[0, 1]", "row 1")),
    "prob_negative.csv": (b"y_true,prob_a,prob_b\na,-0.1,1.1\nb,0.5,0.5\n", ("prob_a", "row 1")),
    "prob_columns_mismatch.csv": (b"y_true,prob_cat,prob_dog\ncat,0.9,0.1\nemu,0.2,0.8\n", ("emu", "prob_")),
    "prob_text.csv": (b"y_true,prob_a,prob_b\na,x,0.5\nb,0.5,0.5\n", ("prob_a", "row 1")),
    "text_in_probability.csv": (b"y_true,prob_a,prob_b\na,0.9,0.1\nb,x,0.8\n",
                                ("probability column 'prob_a'", "row 2", "map another column as the probability")),
    "single_prob_column.csv": (b"y_true,prob_a\na,0.4\nb,0.6\n", ("score",)),
    "multiclass_single_score.csv": (b"y_true,score\na,0.4\nb,0.6\nc,0.5\n", ("3 classes", "prob_<class>")),
    "duplicate_columns.csv": (b"y_true,y_pred,y_pred\n1,1,1\n", ("duplicate", "y_pred")),
    "duplicate_columns_case.csv": (b"Y_true,y_TRUE,score\n1,1,0.5\n", ("duplicate",)),
    "ragged_extra.csv": (b"y_true,y_pred\n1,1\n0,0,7\n1,1\n", ("2 fields", "3")),
    "ragged_missing.csv": (b"y_true,y_pred,score\n1,1,0.5\n0,0\n", ("3 fields",)),
    "truncated.csv.gz": (_gz(GOOD * 50)[:-30], ("gzip", "truncated")),
    "not_gzip.csv.gz": (GOOD.encode(), ("gzip",)),
    "garbage.bin": (bytes(range(256)) * 40, ("binary",)),
    "garbage.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), ("binary",)),
    "latin1.csv": ("y_true,y_pred\ncafé,thé\n".encode("latin-1"), ("UTF-8",)),
    "zero_byte.parquet": (b"", ("empty",)),
    "damaged.parquet": (b"PAR1" + bytes(100) + b"PAR1", ("Parquet",)),
    "truncated.parquet": (_parquet(pd.DataFrame({"y_true": ["1", "0"], "y_pred": ["1", "1"]}))[:-20], ("Parquet",)),
    "parquet_no_label.parquet": (_parquet(pd.DataFrame({"a": [1, 0], "b": [0, 1]})), ("true-label",)),
    "million_columns.csv": (b"," * 1_000_000 + b"\n" + b"," * 1_000_000 + b"\n", ("10,000 columns",)),
    "empty_header.csv": (b",,\n1,2,3\n", ("header",)),
    "tsv_one_column.tsv": (b"y_true\n1\n0\n", ("one column",)),
    "semicolon_text_score.csv": (b"y_true;score\n1;0,9\n0;x,y\n", ("score", "row 2")),
    "pipe_header_only.csv": (b"y_true|y_pred\n", ("header only",)),
    "gz_empty.csv.gz": (_gz(""), ("empty",)),
    "gz_header_only.csv.gz": (_gz("y_true,score\n"), ("header only",)),
    "unequal_parquet_types.parquet": (_parquet(pd.DataFrame({"y_true": ["a", "b"], "score": ["0.1", "zz"]})),
                                      ("score", "row 2")),
    "score_percent.csv": (b"y_true,prob_a,prob_b\na,90,10\nb,20,80\n", ("[0, 1]", "prob_a")),
    "label_index_out_of_range.csv": (b"y_true,prob_a,prob_b\n0,0.9,0.1\n5,0.2,0.8\n", ("5",)),
}
