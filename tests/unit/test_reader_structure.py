"""The structure that keeps reading and evaluating fast, checked by counting calls rather than timing them:

- reading a file runs the same Python (the same number of calls) at 10 and at 100 times the rows: no Python
  loop over rows, whatever the format;
- evaluate() sorts each score column once (a large sort or argsort is counted, in every thread);
- the fast paths keep the reader's promises: a word or a blank in a score column far below the rows Arrow
  samples is still named by its row, ``007`` stays the label ``007``, decimal commas are numbers.
"""

from __future__ import annotations

import io
import sys
import threading

import numpy as np
import pandas as pd
import pytest

from evalcore.errors import InputError
from evalcore.metrics import evaluate
from evalcore.predictions import read_predictions


def profiled(fn, hook) -> None:
    """Run ``fn()`` with ``hook(frame, event, arg)`` seeing every call, in this thread and any it starts."""
    threading.setprofile(hook)
    sys.setprofile(hook)
    try:
        fn()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def python_calls(fn) -> int:
    """Function calls (Python functions, and built-ins called from Python, such as a regex's search) made while
    ``fn()`` runs, in this thread and any it starts."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        count += event in ("call", "c_call")

    profiled(fn, hook)
    return count


def binary_file(rows: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, rows)
    frame = pd.DataFrame({"y_true": y, "score": rng.random(rows).round(6), "site": rng.choice(["a", "b"], rows)})
    return frame.to_csv(index=False).encode()


def multiclass_file(rows: int, classes: int = 5, sep: str = ",", decimal: str = ".") -> bytes:
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(classes), rows).round(6)
    frame = pd.DataFrame({"y_true": rng.integers(0, classes, rows),
                          **{f"prob_{k}": p[:, k] for k in range(classes)}})
    return frame.to_csv(index=False, sep=sep, decimal=decimal).encode()


def parquet_file(rows: int) -> bytes:
    rng = np.random.default_rng(2)
    buf = io.BytesIO()
    pd.DataFrame({"y_true": rng.integers(0, 2, rows), "score": rng.random(rows)}).to_parquet(buf)
    return buf.getvalue()


@pytest.mark.parametrize("make, name", [(binary_file, "b.csv"), (multiclass_file, "m.csv"),
                                        (lambda n: multiclass_file(n, sep=";", decimal=","), "comma.csv"),
                                        (parquet_file, "p.parquet")])
def test_reading_runs_the_same_python_at_ten_times_the_rows(make, name):
    """(The count catches a loop over rows: ``python_calls(lambda: pd.Series(["a"] * n).str.contains("^a"))``
    grows with n, as the reader's label check did before it looked at distinct values.)"""
    small, large = make(5_000), make(50_000)  # both within one of Arrow's blocks (4 MB)
    assert len(large) < 4 << 20
    read_predictions(small, name=name)  # imports and first-call caches out of the count
    calls_small = python_calls(lambda: read_predictions(small, name=name))
    calls_large = python_calls(lambda: read_predictions(large, name=name))
    # a loop over rows would add at least 45,000 calls; the few calls that differ between two reads come from
    # waits that depend on the machine's load (CI under the whole suite saw 3,556 against 3,560)
    assert calls_large == pytest.approx(calls_small, abs=20)


SORTS = {"sort", "argsort", "partition", "argpartition"}


def large_sorts(fn, rows: int) -> int:
    """Sorts (ndarray.sort, argsort, partition, argpartition, in every thread) of arrays of at least ``rows``
    values: numpy's sort functions call these methods."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        if event == "c_call" and getattr(arg, "__name__", "") in SORTS:
            target = getattr(arg, "__self__", None)
            count += isinstance(target, np.ndarray) and target.size >= rows

    profiled(fn, hook)
    return count


def test_evaluate_sorts_each_score_column_once():
    n = 20_000
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, n)
    assert large_sorts(lambda: evaluate(y, y_score=rng.random(n)), n) == 1
    k = 6
    ym = rng.integers(0, k, n)
    p = rng.dirichlet(np.ones(k), n)
    assert large_sorts(lambda: evaluate(ym, y_score=p), n) == k


def test_a_word_in_a_score_column_far_below_the_sample_is_named_by_its_row():
    rows = [f"{i % 2},{(i % 1000) / 1000}" for i in range(200_000)]  # 2.4 MB: past the 64 KB sample
    rows[150_000] = "1,oops"
    with pytest.raises(InputError, match=r"row 150001\b"):
        read_predictions(("y_true,score\n" + "\n".join(rows) + "\n").encode(), name="late.csv")
    rows[150_000] = "1,"
    with pytest.raises(InputError, match=r"blank cells in row 150001\b"):
        read_predictions(("y_true,score\n" + "\n".join(rows) + "\n").encode(), name="late.csv")


def test_labels_stay_text_and_decimal_commas_are_numbers():
    p = read_predictions(b"y_true;y_pred;score\n007;007;0,75\n7;007;0,25\n", name="eu.csv")
    assert p.y_true.tolist() == ["007", "7"] and p.y_pred.tolist() == ["007", "007"]
    assert p.score.tolist() == [0.75, 0.25]
    report = p.evaluate()
    assert report.metrics["accuracy"].value == 0.5


def test_the_shared_table_cannot_be_changed_in_place():
    p = read_predictions(multiclass_file(100), name="m.csv")
    assert not p.score.flags.writeable
    with pytest.raises(ValueError):
        p.score[0, 0] = 2.0
