"""read_predictions: formats, detection, and the bad-input corpus."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pandas as pd
import pytest

from evalcore.errors import InputError
from evalcore.predictions import detect_columns, read_predictions
from tests.corpus import BAD_FILES


def test_corpus_is_large_enough():
    assert len(BAD_FILES) >= 40


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_clear_input_error(name):
    data, words = BAD_FILES[name]
    with pytest.raises(InputError) as info:
        p = read_predictions(data, name=name)
        p.evaluate()  # some problems only show when evaluating
    message = str(info.value)
    assert message.startswith("Expected"), message
    assert "Fix:" in message, message
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    assert "Traceback" not in message


def test_labels_stay_text():
    p = read_predictions(b"y_true,y_pred\n007,007\nNA,None\n007,NA\n", name="t.csv")
    assert p.y_true.tolist() == ["007", "NA", "007"]
    assert p.y_pred.tolist() == ["007", "None", "NA"]
    r = p.evaluate()
    assert set(r.classes) == {"007", "NA", "None"}


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_and_line_endings(sep):
    text = sep.join(["y_true", "y_pred", "score"]) + "\r\n" + "\r\n".join(
        sep.join(row) for row in [["1", "1", "0.9"], ["0", "0", "0.2"], ["1", "0", "0.4"]]) + "\r\n"
    p = read_predictions(text.encode(), name="x.csv")
    assert p.mapping.y_true == "y_true" and p.mapping.score == "score"
    np.testing.assert_allclose(p.score, [0.9, 0.2, 0.4])


def test_decimal_comma_bom_and_quotes():
    text = "\ufeffy_true;score;note\r\nyes;0,9;\"a; b\"\r\nno;0,25;\"x\"\r\n"
    p = read_predictions(text.encode("utf-8"), name="excel.csv")
    np.testing.assert_allclose(p.score, [0.9, 0.25])
    assert p.frame["note"].tolist() == ["a; b", "x"]
    assert p.mapping.y_true == "y_true"


def test_gzip_and_parquet_round_trip(tmp_path):
    df = pd.DataFrame({"label": ["cat", "dog", "emu", "cat"], "prob_cat": [0.7, 0.1, 0.1, 0.5],
                       "prob_dog": [0.2, 0.8, 0.1, 0.3], "prob_emu": [0.1, 0.1, 0.8, 0.2], "site": list("abab")})
    csv_bytes = df.to_csv(index=False).encode()
    (tmp_path / "p.csv.gz").write_bytes(gzip.compress(csv_bytes))
    df.to_parquet(tmp_path / "p.parquet")
    for path in (tmp_path / "p.csv.gz", tmp_path / "p.parquet"):
        p = read_predictions(path)
        assert p.task == "multiclass" and p.classes == ("cat", "dog", "emu")
        assert p.other_columns == ["site"]
        r = p.evaluate()
        assert r.metrics["accuracy"].value == 1.0


def test_labels_as_indices_into_probability_columns():
    p = read_predictions(b"y_true,prob_cat,prob_dog\n0,0.8,0.2\n1,0.3,0.7\n1,0.6,0.4\n", name="i.csv")
    assert p.y_true.tolist() == ["cat", "dog", "dog"]
    assert p.evaluate().metrics["accuracy"].value == pytest.approx(2 / 3)


def test_regression_detected():
    p = read_predictions(b"target,prediction\n1.5,1.4\n2.0,2.5\n3.25,3.0\n", name="r.csv")
    assert p.task == "regression"
    r = p.evaluate()
    assert r.metrics["mse"].value == pytest.approx(np.mean([0.01, 0.25, 0.0625]))


def test_manual_override_of_columns():
    p = read_predictions(b"truth,guess,conf,other\n1,1,0.9,x\n0,1,0.6,y\n", name="m.csv",
                         columns={"y_pred": "guess", "score": "conf"})
    assert (p.mapping.y_true, p.mapping.y_pred, p.mapping.score) == ("truth", "guess", "conf")


def test_suspicious_but_valid_files_warn():
    p = read_predictions(b"y_true,prob_a,prob_b\na,0.5,0.7\nb,0.2,0.2\n", name="s.csv")
    r = p.evaluate()
    p2 = read_predictions(b"y_true,y_pred\na,a\nb,c\n", name="s2.csv")
    assert any("sum to 1 (rows 1, 2)" in w for w in r.warnings), r.warnings
    assert any("'c'" in w for w in p2.evaluate().warnings)


@pytest.mark.parametrize("data, words", [
    (b"y_true,score\n1,90\n0,20\n1,55\n0,40\n", "outside [0, 1]"),  # scores on a 0-100 scale
    (b"y_true,y_pred\na,a\nb,b\na,c\nb,b\n", "'c'"),  # a label found only in y_pred
    (b"y_true,y_pred,score\na,a,0.9\na,c,0.1\na,c,0.8\n", "'c'"),
])
def test_each_data_problem_is_warned_once_by_the_report(data, words):
    """The report (page, CLI and API) owns the warnings about the data; the file's own warnings are only
    about reading it."""
    p = read_predictions(data, name="w.csv")
    r = p.evaluate()
    every = [*p.warnings, *r.warnings]
    assert sum(words in w for w in every) == 1 and not p.warnings, every


def test_the_report_says_whether_calibration_is_available():
    probabilities = read_predictions(b"y_true,score\n1,0.9\n0,0.2\n", name="p.csv").evaluate()
    percent = read_predictions(b"y_true,score\n1,90\n0,20\n", name="p.csv").evaluate()
    labels = read_predictions(b"y_true,y_pred\n1,1\n0,1\n", name="p.csv").evaluate()
    assert probabilities.has_calibration and not percent.has_calibration and not labels.has_calibration
    assert any("divide them by 100" in w and "from 20 to 90" in w for w in percent.warnings), percent.warnings


def test_detection_names():
    assert detect_columns(["Actual", "Predicted", "Probability"]).as_dict() == {
        "y_true": "Actual", "y_pred": "Predicted", "score": "Probability", "probabilities": {}}


def test_file_object_upload():
    buf = io.BytesIO(b"y_true,y_pred\na,a\nb,a\n")
    buf.name = "upload.csv"
    assert read_predictions(buf).n_rows == 2


def test_decimal_comma_only_in_semicolon_files():
    """A quoted "1,000" in a comma-separated file is not the number 1.0 (it was read so before)."""
    p = read_predictions(b'y_true;y_pred\n1,5;1,25\n2,0;2,5\n3,5;3,0\n', name="dc.csv")
    assert p.task == "regression"
    assert p.evaluate().metrics["mae"].value == pytest.approx((0.25 + 0.5 + 0.5) / 3)
    p = read_predictions(b'y_true,y_pred\n"1,000",1.4\n2.0,2.5\n3.5,3.0\n', name="thousands.csv")
    with pytest.raises(InputError) as info:
        p.evaluate()
    assert "y_true" in str(info.value) and "in row 1." in str(info.value)
