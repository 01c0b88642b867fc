"""Every page against every store a user can meet (none yet, damaged, rows with bad fields, a newer schema) and
odd uploads: no page may show an exception box or the 'unexpected' bug message; a damaged store is explained on
Train and Runs (which file, what to do), and Evaluate keeps working."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evalcore.runs import SqliteRunStore, home
from tests import stores
from tests.corpus import BAD_FILES, GOOD
from tests.shown import shown
from ui.evaluate_panels import PREDICTION_TYPES
from ui.guard import UNEXPECTED

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("pages/evaluate.py", "pages/train.py", "pages/runs.py")


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page != "pages/evaluate.py":
        at.switch_page(page).run()
    return at


def _errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def _no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not any(UNEXPECTED in e for e in _errors(at)), _errors(at)


def _sample_evaluates(at: AppTest) -> None:
    at.radio(key="eval_source").set_value("Try a sample").run()
    _no_failure(at)
    assert {"Accuracy", "ROC AUC"} <= {m.label for m in at.metric}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_no_store_yet(page):
    at = _open(page)
    _no_failure(at)
    assert not at.error


@pytest.mark.parametrize("damage", sorted(stores.DAMAGED))
def test_a_damaged_store_is_explained_and_evaluate_keeps_working(damage):
    path = stores.DAMAGED[damage](home())
    for page in ("pages/train.py", "pages/runs.py"):
        at = _open(page)
        _no_failure(at)
        assert any(str(path) in e and "Fix:" in e for e in _errors(at)), (page, _errors(at))
    at = _open("pages/evaluate.py")
    _no_failure(at)
    assert not at.error
    _sample_evaluates(at)
    at.session_state["eval_tab"] = "Downloads"
    at.run()
    at.button(key="save_run").click().run()  # the one Evaluate action that needs the store: a message
    _no_failure(at)
    saved = any("Saved as run" in s.value for s in at.success)  # damage elsewhere in the file can allow a write
    assert any(str(path) in e for e in _errors(at)) or (saved and damage == "garbage in the middle")


def test_runs_with_bad_fields_are_listed_marked_and_can_be_opened_compared_and_deleted():
    store = stores.with_bad_rows(home())
    runs = store.runs()
    at = _open("pages/runs.py")
    _no_failure(at)
    table = at.dataframe[0].value
    assert len(table) == len(runs) and "problems" in table.columns
    marked = table[table["problems"] != ""]
    assert set(marked["name"]) >= {f"bad {c}" for c in ("config", "summary", "tags", "created", "ended",
                                                          "status", "kind", "pid")}
    for row in range(len(table)):  # open each run alone
        at.session_state["runs_table"] = {"selection": {"rows": [row], "columns": []}}
        at.run()
        _no_failure(at)
    at.session_state["runs_table"] = {"selection": {"rows": list(range(len(table))), "columns": []}}
    at.run()  # compare all of them, export all of them
    _no_failure(at)
    bad = int(marked.iloc[0]["id"])
    at.session_state["runs_table"] = {"selection": {"rows": [int(marked.index[0])], "columns": []}}
    at.run()
    at.button(key=f"edit_delete_{bad}").click().run()
    at.button(key=f"edit_delete_yes_{bad}").click().run()
    _no_failure(at)
    assert bad not in [r.id for r in SqliteRunStore().runs()]


def test_the_train_page_shows_every_run_with_bad_fields():
    store = stores.with_bad_rows(home())
    at = _open("pages/train.py")
    _no_failure(at)
    for run in store.runs(kind="train"):
        at.selectbox(key="train_run_pick").set_value(run.id).run()
        _no_failure(at)


def test_odd_uploads_on_every_page(tmp_path):
    at = _open("pages/evaluate.py")
    for name, (data, _) in BAD_FILES.items():
        if name.rsplit(".", 1)[-1] not in PREDICTION_TYPES:  # the browser's file dialog offers only these
            name += ".csv"
        at.file_uploader(key="eval_upload").set_value((name, data, "application/octet-stream")).run()
        _no_failure(at)
        assert at.error, name
    at = _open("pages/runs.py")
    pairs = {"labels only": (b"label,pred\na,a\nb,a\nb,b\n", b"label,pred\na,a\nb,b\nb,b\n"),
             "different rows": (GOOD.encode(), b"y_true,y_pred\n1,1\n"),
             "garbage": (b"\x00\x01\x02", GOOD.encode()),
             "regression": (b"y_true,y_pred\n1.5,1.2\n2.5,2.4\n", b"y_true,y_pred\n1.5,1.1\n2.5,2.6\n")}
    for name, (a, b) in pairs.items():
        at.file_uploader(key="pair_file_a").set_value((f"{name}-a.csv", a, "text/csv")).run()
        at.file_uploader(key="pair_file_b").set_value((f"{name}-b.csv", b, "text/csv")).run()
        _no_failure(at)
        assert name == "labels only" or at.error, name
    for data in (b"\x89PNG", b"{}", b"[]", json.dumps({"format": "evalcore-runs", "version": 1,
                                                     "runs": [{"kind": "train", "config": {"epochs": -1}}]}).encode()):
        at.file_uploader(key="imp_file").set_value(("runs.json", data, "application/json")).run()
        at.button(key="imp_go").click().run()
        _no_failure(at)
        assert at.error
    at = _open("pages/train.py")
    at.selectbox(key="train_dataset").set_value("csv").run()
    for data in (b"", b"\x00\xff\xfe", b"a;b\n1;2\n", b"x,y\n" + b"1,a\n" * 20):
        at.file_uploader(key="train_csv").set_value(("data.csv", data, "text/csv")).run()
        at.button(key="train_start").click().run()
        _no_failure(at)
        assert at.error
    assert SqliteRunStore().runs() == []
