"""The Train page in Streamlit's AppTest: settings, refusals before anything starts, a real run to its results."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.shown import shown

from evalcore.runs import SqliteRunStore

ROOT = Path(__file__).resolve().parents[2]


def _train_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    return at


def test_settings_and_empty_state():
    at = _train_page()
    assert at.title[0].value == "Train a model"
    assert any("No training runs yet" in i.value for i in at.info)
    built_in = ["Data augmentation", "L2 regularisation", "Dropout", "Learning-rate schedule", "Transfer learning"]
    labels = [t.label for t in at.toggle]
    assert [label for label in labels if label in built_in] == built_in  # a strategy added later may stand between
    at.toggle(key="drop_on").set_value(True).run()
    assert at.slider(key="drop_rate").value == 0.5  # the seed's default
    at.toggle(key="lr_on").set_value(True).run()
    assert at.selectbox(key="lr_kind").value == "seed" and at.number_input(key="lr_hold").value == 10


def test_tabular_data_disables_augmentation_and_transfer_with_the_reason():
    at = _train_page()
    at.selectbox(key="train_dataset").set_value("wine").run()
    assert at.toggle(key="aug_on").disabled and at.toggle(key="tl_on").disabled
    assert any("tabular dataset" in c.value for c in at.caption)


def test_a_csv_with_text_features_is_refused_and_nothing_starts(tmp_path):
    at = _train_page()
    at.selectbox(key="train_dataset").set_value("csv").run()
    data = "age,city,label\n" + "".join(f"{20 + i},{'Oslo' if i % 2 else 'Rome'},{i % 2}\n" for i in range(20))
    at.file_uploader(key="train_csv").set_value(("people.csv", data.encode(), "text/csv")).run()
    at.button(key="train_start").click().run()
    assert any("city" in shown(e.value) and "Fix:" in shown(e.value) for e in at.error)
    assert SqliteRunStore().runs() == []


def test_a_run_starts_in_its_own_process_and_its_results_appear():
    at = _train_page()
    at.selectbox(key="train_dataset").set_value("iris").run()
    at.number_input(key="train_epochs").set_value(3).run()
    at.toggle(key="drop_on").set_value(True).run()
    at.button(key="train_start").click().run()
    runs = SqliteRunStore().runs()
    assert len(runs) == 1 and runs[0].pid and runs[0].config["dropout"]["enabled"]
    deadline = time.time() + 120
    while time.time() < deadline and not any(s.value == "Test-set evaluation" for s in at.subheader):
        time.sleep(1)
        at.run()  # AppTest does not tick run_every fragments
    assert not at.exception
    assert any(s.value == "Test-set evaluation" for s in at.subheader)
    assert {"Accuracy", "F1", "Log loss"} <= {m.label for m in at.metric}
    assert any("Finished" in m.value for m in at.markdown)


def test_the_page_never_imports_tensorflow_or_keras_nor_ray_with_the_local_executor():
    code = ("import sys; from streamlit.testing.v1 import AppTest; "
            f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60).run(); "
            "at.switch_page('pages/train.py').run(); assert not at.exception; "
            "at.button(key='train_start').click().run(); assert not at.exception; "
            "at.switch_page('pages/runs.py').run(); assert not at.exception; "
            "print([m for m in ('tensorflow', 'keras', 'ray') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_every_strategy_text_reads_as_plain_text():
    """Captions and help are shown as plain text (user-safe), so they carry no Markdown: a backtick would show."""
    from evalcore.training import strategies
    at = _train_page()
    for strategy in strategies.registry():
        if not at.toggle(key=strategy.key).disabled:
            at.toggle(key=strategy.key).set_value(True).run()
    texts = [shown(c.value) for c in at.caption] + [t.help or "" for t in at.toggle]
    assert texts and not [t for t in texts if "`" in t]
