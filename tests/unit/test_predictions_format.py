"""The predictions format has one owner (evalcore/predictions/): what the worker writes reads back to the same
predictions, the column names live in one module, the reader decides the task once and hands evaluate a typed
input, and each warning reaches the user once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from evalcore.__main__ import main
from evalcore.errors import InputError
from evalcore.metrics import evaluate, prepare
from evalcore.paired_files import compare_files
from evalcore.predictions import (
    EvaluationInput,
    class_of_column,
    predictions_frame,
    probability_column,
    read_predictions,
    write_predictions,
)

ROOT = Path(__file__).resolve().parents[2]
ODD_CLASSES = [("prob_x", "007", "a,b"), ("no", "yes"), ("NA", "None", 'say "hi"', "1", "0"), ("β", "p:q")]


def _written(tmp_path: Path, classes: tuple[str, ...], seed: int = 0, n: int = 60):
    rng = np.random.default_rng(seed)
    codes = np.arange(n) % len(classes)  # every class occurs
    raw = rng.random((n, len(classes)))
    proba = raw / raw.sum(axis=1, keepdims=True)
    path = tmp_path / f"predictions-{seed}.csv"
    write_predictions(predictions_frame(classes, codes, proba), path)
    return codes, proba, path


@pytest.mark.parametrize("classes", ODD_CLASSES, ids=lambda c: "|".join(c))
def test_what_the_worker_writes_reads_back_to_the_same_predictions(tmp_path, classes):
    codes, proba, path = _written(tmp_path, classes)
    p = read_predictions(path)
    names = np.asarray(classes)
    assert p.classes == classes
    assert p.task == ("binary" if len(classes) == 2 else "multiclass")
    assert p.y_true.tolist() == names[codes].tolist()
    assert p.y_pred is not None and p.y_pred.tolist() == names[proba.argmax(1)].tolist()
    np.testing.assert_allclose(p.score, proba, atol=5e-7)
    assert p.other_columns == [] and p.warnings == ()
    report = p.evaluate()
    assert report.classes == classes
    assert report.metrics["accuracy"].value == pytest.approx(float(np.mean(proba.argmax(1) == codes)))


def test_probability_columns_are_named_and_read_by_the_same_module():
    for label in ("cat", "prob_x", "007", "a,b", "p:q"):
        assert class_of_column(probability_column(label)) == label


def _format_literals(path: Path) -> list[str]:
    """The format's column names written as string literals in code (docstrings left out): 'y_true', 'y_pred',
    'prob_' or an f-string starting with prob_."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and node.value in ("y_true", "y_pred", "prob_"):
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
                and str(node.values[0].value).startswith("prob_"):
            found.append(f"{path.name}:{node.lineno} f'prob_...'")
    return found


def test_the_column_names_and_the_prob_prefix_are_written_in_one_module():
    """Outside evalcore/predictions/columns.py no code spells the format's column names (evalcore.metrics is left
    out: its y_true and y_pred are scikit-learn's argument names, not columns)."""
    owner = ROOT / "evalcore/predictions/columns.py"
    code = [path for folder in ("evalcore", "ui", "pages") for path in (ROOT / folder).rglob("*.py")
            if path != owner and "metrics" not in path.parts]
    assert [hit for path in code for hit in _format_literals(path)] == []
    assert len(_format_literals(owner)) == 3  # y_true, y_pred, prob_: the scan finds what it looks for


def test_pages_read_prediction_files_only_through_the_owner():
    """No bare pandas read of a predictions file on the Evaluate or Runs page or their panels."""
    bare = re.compile(r"\bread_(csv|parquet|table)\(")
    readers = [ROOT / "ui/cache.py", ROOT / "ui/runs_panels.py", ROOT / "ui/evaluate_panels.py",
               *(ROOT / "pages").glob("*.py")]
    assert [str(p.relative_to(ROOT)) for p in readers if bare.search(p.read_text(encoding="utf-8"))] == []


def test_two_runs_written_by_the_worker_compare_row_by_row(tmp_path):
    classes = ("prob_x", "007", "a,b")
    _, _, path_a = _written(tmp_path, classes, seed=1)
    _, _, path_b = _written(tmp_path, classes, seed=2)
    r = compare_files(read_predictions(path_a), read_predictions(path_b))
    assert r.n_rows == 60 and r.delong is not None and r.delong.positive in classes
    assert [d.metric for d in r.differences][:3] == ["Accuracy", "F1 (macro)", "Log loss"]


# ---------------------------------------------------------------- the typed input, the task decided once


def test_the_reader_hands_evaluate_a_typed_input_with_the_task_it_decided():
    p = read_predictions(b"y_true,prob_a,prob_b,prob_c\na,0.7,0.2,0.1\nb,0.2,0.7,0.1\nc,0.1,0.1,0.8\n",
                         name="p.csv")
    inputs = p.evaluation_input()
    assert isinstance(inputs, EvaluationInput)
    assert (inputs.task, inputs.labels, inputs.y_score.shape, inputs.pos_label) == ("multiclass", ("a", "b", "c"),
                                                                                   (3, 3), None)
    assert inputs.evaluate().metrics["accuracy"].value == 1.0
    regression = read_predictions(b"y_true,y_pred\n1.5,1\n2,2.5\n3,3\n", name="r.csv").evaluation_input()
    assert regression.task == "regression" and regression.y_true.dtype == np.float64
    binary = read_predictions(b"y_true,score\nyes,0.9\nno,0.2\n", name="b.csv").evaluation_input(pos_label="no")
    assert binary.prepare().classes[binary.prepare().pos] == "no"


def test_a_task_given_to_prepare_is_not_detected_again():
    # 1.5 and 2.5 look like a regression's values; the caller decided they are classes
    assert prepare([1.5, 2.5, 1.5], [1.5, 1.5, 2.5], task="binary").task == "binary"
    assert prepare([1.5, 2.5, 1.5], [1.5, 1.5, 2.5]).task == "regression"
    with pytest.raises(InputError, match="binary task"):
        prepare(["a", "b", "c"], ["a", "b", "b"], task="binary")
    with pytest.raises(InputError, match="task among"):
        evaluate(["a", "b"], ["a", "b"], task="clasification")


# ---------------------------------------------------------------- each warning once

WARNING_FILES = {
    "scores outside [0, 1]": b"y_true,score\n1,90\n0,20\n1,50\n0,10\n",
    "rows not summing to 1": b"y_true,prob_a,prob_b,prob_c\na,0.5,0.2,0.1\nb,0.2,0.7,0.1\nc,0.1,0.1,0.8\n",
    "a label only predicted": b"y_true,y_pred\na,a\nb,b\na,c\nb,b\n",
    "one true class": b"y_true,y_pred,score\na,a,0.2\na,b,0.7\n",
}


@pytest.mark.parametrize("data", WARNING_FILES.values(), ids=list(WARNING_FILES))
def test_each_warning_is_reported_once(data):
    p = read_predictions(data, name="p.csv")
    warnings = [*p.evaluate().warnings, *p.warnings]
    assert warnings and len(set(warnings)) == len(warnings), warnings


@pytest.mark.parametrize("data", WARNING_FILES.values(), ids=list(WARNING_FILES))
def test_the_command_line_prints_each_warning_once(tmp_path, capsys, data):
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    assert main(["evaluate", str(path)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")]
    assert lines and len(set(lines)) == len(lines), lines
