"""The command line prints the same numbers as evaluate() and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sklearn.metrics as skm
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "evalcore/samples/breast_cancer.csv"


def run(*args):
    return subprocess.run([sys.executable, "-m", "evalcore", *args], cwd=ROOT, capture_output=True, text=True)


def test_json_report_matches_sklearn():
    out = run("evaluate", str(SAMPLE), "--json", "--threshold", "0.3")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    frame = pd.read_csv(SAMPLE)
    y = frame["y_true"] == "malignant"
    assert doc["metrics"]["recall"]["value"] == pytest.approx(skm.recall_score(y, frame["score"] >= 0.3))
    assert doc["metrics"]["roc_auc"]["value"] == pytest.approx(skm.roc_auc_score(y, frame["score"]))
    assert doc["settings"]["positive label"] == "malignant"


def test_table_and_error_exit_code(tmp_path):
    out = run("evaluate", str(SAMPLE))
    assert out.returncode == 0 and "ROC AUC" in out.stdout and "95% CI" in out.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("y_true,score\n1,x\n")
    out = run("evaluate", str(bad))
    assert out.returncode == 2 and "error: Expected" in out.stderr and "Traceback" not in out.stderr


def test_train_warns_about_a_schedule_that_never_acts(tmp_path):
    import os
    env = {**os.environ, "EVALCORE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "evalcore", "train", "--dataset", "iris", "--epochs", "2",
                          "--schedule"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "warning: The seed learning-rate schedule keeps the rate for 10 epochs" in out.stderr


def test_unexpected_errors_print_one_line_not_a_traceback(tmp_path):
    import os
    (tmp_path / "runs.sqlite").mkdir()  # a folder where the store's file should be
    env = {**os.environ, "EVALCORE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "evalcore", "runs"], cwd=ROOT, capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr and out.stderr.startswith("error: ")


def test_terminal_output_escapes_control_characters(tmp_path):
    from evalcore.__main__ import safe
    assert safe("a\x1b[2Jb\nc\td") == "a\\x1b[2Jb\nc\\td"
    data = tmp_path / "labels.csv"
    data.write_text("y_true,y_pred\n\x1b[31mred,\x1b[31mred\nb,b\n")
    out = run("evaluate", str(data))
    assert out.returncode == 0 and "\x1b" not in out.stdout and "\\x1b[31mred" in out.stdout


def test_output_into_a_pipe_that_closes_early_ends_quietly():
    """`python -m evalcore evaluate FILE --json | head -1`: head closes the pipe; no 'unexpected error' line."""
    proc = subprocess.Popen([sys.executable, "-m", "evalcore", "evaluate", str(SAMPLE), "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # what `head -1` does after its line; here before evalcore has written anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == "", err


def test_train_with_seeds_makes_a_seed_group_and_summarises_it(tmp_path):
    import os
    import re

    from evalcore.runs import SqliteRunStore
    from evalcore.runs.groups import mean_interval, settings_key
    env = {**os.environ, "EVALCORE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "evalcore", "train", "--dataset", "iris", "--epochs", "2",
                          "--seed", "4", "--seeds", "3", "--early-stopping", "1"], cwd=ROOT, capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    runs = sorted(SqliteRunStore(tmp_path).runs(), key=lambda r: r.id)
    assert [r.config["seed"] for r in runs] == [4, 5, 6] and len({settings_key(r.config) for r in runs}) == 1
    assert all(r.config["early_stopping"] == 1 for r in runs)
    expected = mean_interval([r.summary["accuracy"] for r in runs]).text()
    assert re.search(r"seed group of 3 runs .*\n  accuracy\s+" + re.escape(expected), out.stdout), out.stdout
    bad = subprocess.run([sys.executable, "-m", "evalcore", "train", "--seeds", "0"], cwd=ROOT,
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "Expected --seeds from 1 to 50" in bad.stderr and "Traceback" not in bad.stderr
