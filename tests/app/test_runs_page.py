"""The Runs page in AppTest: the table (names as text), filters, compare, rename, delete with confirmation."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore.runs import FINISHED, RUNNING, Point, SqliteRunStore
from evalcore.training.config import Dropout, TrainConfig

ROOT = Path(__file__).resolve().parents[2]
XSS = "<script>alert(1)</script>"


def _runs() -> SqliteRunStore:
    store = SqliteRunStore()
    for name, config, losses in ((XSS, TrainConfig(dataset="wine"), [0.9, 0.6]),
                                 ("with dropout", TrainConfig(dataset="wine", dropout=Dropout(enabled=True)),
                                  [0.8, 0.5]),
                                 ("digits run", TrainConfig(dataset="digits"), [1.2, 0.7])):
        run_id = store.create_run(name, "train", config.to_dict())
        store.set_status(run_id, RUNNING)
        store.log_points(run_id, [Point(f"epoch/{k}", e, e, v if "loss" in k else 1 - v)
                                  for e, v in enumerate(losses)
                                  for k in ("loss", "val_loss", "accuracy", "val_accuracy")])
        store.set_status(run_id, FINISHED)
    return store


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception, at.exception
    return at


def _select(at: AppTest, rows: list[int]) -> AppTest:
    at.session_state["runs_table"] = {"selection": {"rows": rows, "columns": []}}
    return at.run()


def test_table_shows_names_as_text_and_filters():
    _runs()
    at = _page()
    table = at.dataframe[0].value
    assert XSS in table["name"].tolist()  # the literal text, not markup
    assert table.set_index("name").loc["with dropout", "dropout"] == "0.5"
    assert table.set_index("name").loc["digits run", "best val loss"] == 0.7
    at.multiselect(key="runs_strategy").set_value(["dropout"]).run()
    assert at.dataframe[0].value["name"].tolist() == ["with dropout"]
    at.multiselect(key="runs_strategy").set_value([]).run()
    at.text_input(key="runs_search").set_value("DIGITS").run()
    assert at.dataframe[0].value["name"].tolist() == ["digits run"]


def test_compare_two_runs_overlays_curves_and_lists_differences():
    _runs()
    at = _select(_page(), [1, 2])  # newest first: 'with dropout' and the XSS-named run
    assert not at.exception
    assert at.subheader[0].value == "Compare 2 run(s)"
    figure = at.get("plotly_chart")[0].proto.spec
    assert "with dropout" in figure and "alert" in figure  # both runs' traces
    diff = at.dataframe[1].value
    assert diff.index.tolist() == ["dropout.enabled", "dropout.rate"]


def test_rename_then_delete_with_confirmation():
    store = _runs()
    at = _select(_page(), [0])  # the newest: 'digits run'
    run_id = store.runs()[0].id
    at.text_input(key=f"edit_name_{run_id}").set_value("digits, renamed").run()
    at.text_input(key=f"edit_tags_{run_id}").set_value("keep, v2").run()
    at.button(key=f"edit_save_{run_id}").click().run()
    assert store.run(run_id).name == "digits, renamed" and store.run(run_id).tags == ("keep", "v2")
    at = _select(_page(), [0])
    at.button(key=f"edit_delete_{run_id}").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    assert len(store.runs()) == 3  # nothing deleted before the confirmation
    at.button(key=f"edit_delete_yes_{run_id}").click().run()
    assert [r.name for r in store.runs()] == ["with dropout", XSS]


def test_save_an_evaluation_as_a_run_and_find_it_on_the_runs_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.radio(key="eval_source").set_value("Try a sample").run()
    at.session_state["eval_tab"] = "Downloads"
    at.run()
    at.text_input(key="save_run_name").set_value("model v1").run()
    at.button(key="save_run").click().run()
    assert not at.exception and any("Saved as run" in s.value for s in at.success)
    run = SqliteRunStore().runs()[0]
    assert (run.kind, run.status, run.name) == ("evaluation", "finished", "model v1")
    assert 0 < run.summary["accuracy"] <= 1 and "report" in SqliteRunStore().artifacts(run.id)
    page = _page()
    row = page.dataframe[0].value.iloc[0]
    assert row["kind"] == "evaluation" and row["test acc"] == run.summary["accuracy"]
