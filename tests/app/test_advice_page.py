"""The Train page's Advice: a finished run that overfits is diagnosed with its evidence, the prescription is
tested for real over paired seeds in a worker process, and the verdict appears with its interval."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from evalcore.advice import trial
from evalcore.runs import FINISHED, RUNNING, Point, SqliteRunStore
from evalcore.training import ablation
from evalcore.training.config import TrainConfig
from tests.shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _overfitting_run(store: SqliteRunStore, config: TrainConfig) -> int:
    """A finished run whose validation loss was lowest at epoch 5 and rose after it."""
    run_id = store.create_run("small digits", "train", config.to_dict())
    store.set_status(run_id, RUNNING)
    e = np.arange(1, 16)
    val = np.r_[1.0, 0.6, 0.45, 0.40, 0.38, np.linspace(0.40, 0.70, 10)]
    store.log_points(run_id, [Point(k, i, i, float(v)) for k, values in
                              (("epoch/loss", 1.0 / e), ("epoch/val_loss", val),
                               ("epoch/accuracy", 1 - 0.5 / e), ("epoch/val_accuracy", np.full(15, 0.85)))
                              for i, v in enumerate(values)])
    store.finish(run_id, FINISHED, {"accuracy": 0.85, "log_loss": 0.7, "classes": [str(i) for i in range(10)]})
    return run_id


def _texts(at: AppTest) -> str:
    return "\n".join(shown(m.value).replace("**", "") for m in (*at.markdown, *at.caption))


def test_overfitting_is_diagnosed_and_the_advice_tested_over_paired_seeds():
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    config = TrainConfig(dataset="iris", epochs=15, train_size=40)
    run_id = _overfitting_run(store, config)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    text = _texts(at)
    assert "Overfitting: validation loss was lowest at epoch 5 (0.38) and rose to 0.7 by epoch 15" in text
    options = at.selectbox(key=f"rx_{run_id}").options
    assert options[0].startswith("dropout 0.3") and not any("augmentation" in o for o in options)  # tabular
    at.number_input(key=f"rx_seeds_{run_id}").set_value(2).run()
    at.button(key=f"rx_test_{run_id}").click().run()
    assert not at.exception
    (t,) = trial.trials(store, run_id)
    runs = ablation.group_runs(store, t.group)
    assert sorted((m[1], m[2]) for r in runs if (m := ablation.membership(r))) == [
        ("baseline", 0), ("baseline", 1), ("dropout 0.3", 0), ("dropout 0.3", 1)]
    changed = [TrainConfig.from_dict(r.config) for r in runs if "dropout 0.3" in r.name]
    assert all(c.dropout.enabled and c.dropout.rate == 0.3 and c.epochs == 15 for c in changed)
    deadline = time.time() + 240  # four real Keras runs in one worker process
    while time.time() < deadline and any(r.status != FINISHED for r in ablation.group_runs(store, t.group)):
        assert not any(r.status in ("failed", "lost") for r in ablation.group_runs(store, t.group))
        time.sleep(0.5)
    at.run()
    text = _texts(at)
    assert "Test of 'dropout 0.3' · 4 of 4 runs done" in text
    lines = [line for line in text.splitlines() if "2 paired seeds, Holm p = " in line]
    assert len(lines) == 2 and lines[0].split(" · ")[0].split("] ")[-1] in ("helps", "hurts", "can't tell"), text
    row = trial.effect_row(store, t)
    shown_effect = float(lines[0].split("accuracy: ")[1].split(" ")[0])
    assert shown_effect == round(row["test accuracy effect"], 4)


def test_a_run_without_curves_is_not_called_healthy():
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    run_id = store.create_run("no points", "train", TrainConfig(dataset="iris").to_dict())
    store.finish(run_id, FINISHED, {"accuracy": 0.9})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert any("no curves to read" in shown(i.value) for i in at.info)
    assert not any("calls for a change" in shown(s.value) for s in at.success)


def test_two_seeds_that_moved_alike_read_as_too_few_not_as_p_nan():
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    config = TrainConfig(dataset="iris", epochs=15, train_size=40)
    run_id = _overfitting_run(store, config)
    for seed in (0, 1):  # a finished test whose change moved accuracy by one test row on both seeds
        for name, accuracy in (("baseline", 0.90 + seed / 100), ("dropout 0.3", 0.90 + seed / 100 + 1 / 30)):
            r = store.create_run(name, "train", {**config.replace(seed=seed).to_dict(), ablation.KEY: {
                "group": "g", "variant": name, "seed": seed, "advice_for": run_id, "prescription": "dropout 0.3"}})
            store.finish(r, FINISHED, {"accuracy": accuracy, "log_loss": 0.3 + seed / 10})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["train_run"] = run_id
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    text = _texts(at)
    assert "can't tell · accuracy: +0.0333 on each of the 2 paired seeds" in text, text
    assert "nan" not in text


def test_would_more_data_help_runs_the_learning_curve_and_predicts_twice_the_rows():
    from evalcore.advice import curve_runs
    store = SqliteRunStore(Path(os.environ["EVALCORE_HOME"]))
    run_id = _overfitting_run(store, TrainConfig(dataset="iris", epochs=15))
    store.finish(run_id, FINISHED, {"accuracy": 0.9, "log_loss": 0.3, "train_rows": 96, "classes": ["a", "b", "c"]})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert "Trains these settings on 10, 24, 48, 96 rows, 2 seeds each (8 runs)" in _texts(at)
    at.button(key=f"lc_start_{run_id}").click().run()
    assert not at.exception
    (group,) = curve_runs.curves_for(store, run_id)
    runs = ablation.group_runs(store, group)
    assert sorted(TrainConfig.from_dict(r.config).train_size for r in runs) == [10, 10, 24, 24, 48, 48, 96, 96]
    deadline = time.time() + 240
    while time.time() < deadline and any(r.status != FINISHED for r in ablation.group_runs(store, group)):
        assert not any(r.status in ("failed", "lost") for r in ablation.group_runs(store, group))
        time.sleep(0.5)
    at.run()
    text = _texts(at)
    assert "Learning curve: 8 of 8 runs done" in text
    (line,) = [x for x in text.splitlines() if x.startswith("Twice the rows (192)")]
    assert "predicted (95% interval" in line and "More data" in line
