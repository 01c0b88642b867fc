"""Settings that are valid but will not help: a horizontal flip on digits (warned, fixed in one click) and a
schedule that never acts within the run's epochs (warned before starting, in an ablation and in the result).
And the ablation view names the run that is running, and shows '—' where a value cannot exist yet."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore.runs import FINISHED, QUEUED, RUNNING, SqliteRunStore
from evalcore.training import ablation
from evalcore.training.config import Schedule, TrainConfig
from tests.shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _train_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    return at


def _warnings(at: AppTest) -> list[str]:
    return [shown(w.value) for w in at.warning]


def test_a_horizontal_flip_on_digits_is_warned_and_fixed_in_one_click():
    at = _train_page()
    at.toggle(key="aug_on").set_value(True).run()
    assert at.checkbox(key="aug_flip").value  # the seed's setting is kept available
    assert any("Horizontal flips do not suit" in w for w in _warnings(at))
    at.button(key="fix_flip").click().run()
    assert not at.checkbox(key="aug_flip").value
    assert not any("Horizontal flips" in w for w in _warnings(at))
    at.selectbox(key="train_dataset").set_value("wine").run()  # tabular: no augmentation, no warning


def test_a_schedule_that_never_acts_is_warned_before_starting_and_in_the_ablation_plan():
    at = _train_page()
    at.number_input(key="train_epochs").set_value(5).run()
    at.toggle(key="lr_on").set_value(True).run()
    message = [w for w in _warnings(at) if w.startswith("The seed learning-rate schedule")]
    assert len(message) == 1 and "keeps the rate for 10 epochs, and this run has 5" in message[0]
    assert any(w.startswith("schedule: ") and "never acts" in w for w in _warnings(at))  # in the study's plan
    at.number_input(key="train_epochs").set_value(12).run()
    assert not any("never acts" in w for w in _warnings(at))


def _study(store: SqliteRunStore, seeds: int, statuses: dict[tuple[str, int], str]) -> str:
    base = TrainConfig(dataset="wine", epochs=5, schedule=Schedule(enabled=True))
    group = "g-test"
    for s in range(seeds):
        for variant, config in ablation.variants(base):
            run_id = store.create_run(f"ablation {group} · {variant} · seed {s}", "train",
                                      {**config.to_dict(), ablation.KEY: {"group": group, "variant": variant,
                                                                          "seed": s}})
            status = statuses.get((variant, s), QUEUED)
            store.set_status(run_id, status, pid=os.getpid())
            if status == RUNNING:
                store.heartbeat(run_id)
            if status == FINISHED:
                store.set_summary(run_id, {"accuracy": 0.8 + 0.01 * len(variant), "log_loss": 0.5})
    return group


def _runs_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/runs.py").run()
    assert not at.exception
    return at


def test_the_ablation_view_names_the_running_run_not_the_last_queued():
    store = SqliteRunStore()
    _study(store, seeds=1, statuses={("baseline", 0): RUNNING})
    at = _runs_page()
    line = next(shown(m.value) for m in at.markdown if "runs done" in m.value)
    assert "running: ablation g-test · baseline · seed 0" in line, line
    assert any("schedule: " in w and "never acts" in w for w in _warnings(at))


def test_one_seed_shows_no_raw_none_and_says_why_there_is_no_interval():
    store = SqliteRunStore()
    done = {(v, 0): FINISHED for v, _ in ablation.variants(TrainConfig(dataset="wine"))}
    _study(store, seeds=1, statuses=done)
    at = _runs_page()
    table = next(d.value for d in at.dataframe if "variant" in d.value.columns)
    cells = table.drop(columns=["variant"]).astype(str).to_numpy().ravel().tolist()
    assert "None" not in cells and "nan" not in cells and "—" in cells
    assert any("needs two seeds or more" in c.value for c in at.caption)


def test_the_one_click_fix_leaves_no_streamlit_warning(caplog):
    """Setting a widget's value from a button must not make Streamlit warn about a default value and the Session
    State API both setting it (a warning in the server's log on every fix)."""
    import logging
    at = _train_page()
    at.toggle(key="aug_on").set_value(True).run()
    with caplog.at_level(logging.WARNING):
        at.button(key="fix_flip").click().run()
    assert not at.checkbox(key="aug_flip").value
    assert not [r for r in caplog.records if "Session State API" in r.getMessage()]
