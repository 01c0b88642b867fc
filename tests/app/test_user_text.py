"""User text never reaches Markdown or chart labels unescaped: class labels, column names, an upload's file name,
run names, tags, notes, an imported run's error and a user dataset's columns, each carrying a Markdown image, a
link, bold, HTML, maths, a colour directive and an emoji shortcode.

Each test drives a page in AppTest, collects every string that Streamlit renders as Markdown (bodies, widget
labels, help texts, expander labels) and every chart label, and checks that none holds the raw markup while the
text itself is on screen, as text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from evalcore.runs import FINISHED, Point, SqliteRunStore
from evalcore.training.config import TrainConfig
from tests.app.rendered import chart_strings, markdown_strings
from tests.shown import shown

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "![t](http://127.0.0.1:9/x.png) **B** <b>h</b> $x^2$ [l](http://127.0.0.1:9/l) :red[c] :smile:"
RAW = ("![t](", "**B**", "<b>", "$x^2$", "[l](", ":red[c]", ":smile:", "http://", "<b>h</b>")


def _page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if path != "pages/evaluate.py":
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def _assert_plain(at: AppTest, on_screen: bool = True) -> None:
    assert not at.exception, at.exception
    strings = markdown_strings(at)
    for s in strings:
        for raw in RAW:
            assert raw not in s, f"raw {raw!r} reaches Markdown in {s!r}"
    for s in chart_strings(at):
        assert "<b>h</b>" not in s and "<b>" not in s.replace("<br>", ""), f"raw HTML in a chart label: {s!r}"
    if on_screen:
        assert any(HOSTILE in shown(s) for s in strings), "the text itself is not on screen"


def _upload(at: AppTest, frame_or_bytes, name: str = "preds.csv") -> AppTest:
    data = frame_or_bytes if isinstance(frame_or_bytes, bytes) else frame_or_bytes.to_csv(index=False).encode()
    at.file_uploader(key="eval_upload").set_value((name, data, "text/csv")).run()
    return at


def test_a_class_label_in_the_threshold_slider_warnings_and_charts():
    frame = pd.DataFrame({"y_true": [HOSTILE, "no"] * 20, "score": [0.8, 0.3, 0.6, 0.1] * 10})
    at = _upload(_page("pages/evaluate.py"), frame)
    assert at.slider(key="eval_threshold")  # the label names the positive class
    _assert_plain(at)
    at.session_state["eval_tab"] = "ROC & PR"
    _assert_plain(at.run(), on_screen=False)
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert any(escaped in s for s in chart_strings(at)), "the label is in the ROC legend, as entities"
    labels_only = pd.DataFrame({"y_true": ["yes", "no"] * 5, "y_pred": ["yes", HOSTILE] * 5})
    at = _upload(_page("pages/evaluate.py"), labels_only)
    assert at.warning, "a label found only in y_pred is warned about"
    _assert_plain(at)


def test_a_column_name_in_an_error():
    at = _upload(_page("pages/evaluate.py"), pd.DataFrame({"gold": ["a", "b"], HOSTILE: [0.1, 0.9]}))
    assert at.error
    _assert_plain(at)


def test_an_uploaded_files_name_in_an_error():
    at = _upload(_page("pages/evaluate.py"), b"y_true,score\n", name=f"{HOSTILE}.csv")
    assert at.error
    _assert_plain(at)


def _hostile_run(store: SqliteRunStore) -> int:
    run_id = store.create_run(HOSTILE, "train", TrainConfig(dataset="wine").to_dict())
    store.log_points(run_id, [Point(f"epoch/{k}", e, e, 0.5) for e in range(3)
                              for k in ("loss", "val_loss", "accuracy", "val_accuracy")])
    store.set_status(run_id, FINISHED)
    store.set_tags(run_id, [HOSTILE[:50]])
    store.set_note(run_id, HOSTILE)
    return run_id


def test_a_run_name_tag_and_note_on_the_runs_page():
    store = SqliteRunStore()
    _hostile_run(store)
    other = store.create_run("plain", "train", TrainConfig(dataset="wine").to_dict())
    store.set_status(other, FINISHED)
    at = _page("pages/runs.py")
    table = at.dataframe[0].value
    assert HOSTILE in table["name"].tolist() and HOSTILE in table["note"].tolist()
    at.session_state["runs_table"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    at.button(key=f"edit_delete_{table['id'].iloc[1]}").click().run()
    assert at.warning  # 'Delete run #… (name)?'
    _assert_plain(at)
    at.session_state["runs_table"] = {"selection": {"rows": [0, 1], "columns": []}}
    at.run()
    assert any(HOSTILE in s.replace("&lt;", "<").replace("&gt;", ">") for s in chart_strings(at))
    _assert_plain(at, on_screen=False)


def test_an_imported_runs_error_on_the_train_page():
    run = {"name": "imported", "kind": "train", "status": "failed", "error": HOSTILE,
           "config": TrainConfig(dataset="wine").to_dict(), "created": 1.7e9}
    data = json.dumps({"format": "evalcore-runs", "version": 1, "runs": [run]}).encode()
    at = _page("pages/runs.py")
    at.file_uploader(key="imp_file").set_value(("runs.json", data, "application/json")).run()
    at.button(key="imp_go").click().run()
    assert at.success and not at.error
    at = _page("pages/train.py")
    assert at.error  # 'Run #1 failed: …'
    _assert_plain(at)


def test_a_user_datasets_columns_in_the_train_pages_error():
    at = _page("pages/train.py")
    at.selectbox(key="train_dataset").set_value("csv").run()
    frame = pd.DataFrame({HOSTILE: ["a", "b"] * 10, "x": range(20), "label": [0, 1] * 10})
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    at.file_uploader(key="train_csv").set_value(("data.csv", buffer.getvalue().encode(), "text/csv")).run()
    at.button(key="train_start").click().run()
    assert at.error
    _assert_plain(at)
