"""TrainConfig validation and JSON, schedules per epoch, datasets and strategy availability (no Keras)."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from evalcore.errors import InputError
from evalcore.training import launch
from evalcore.training.config import L2, Augmentation, Dropout, Schedule, TrainConfig, Transfer
from evalcore.training.datasets import DATASETS, csv_table, load, unavailable_strategies
from evalcore.training.strategies.schedule import planned_rates


def test_json_round_trip_keeps_every_setting():
    c = TrainConfig(dataset="wine", epochs=7, train_size=50, augmentation=Augmentation(enabled=True, zoom=0.3),
                    l2=L2(enabled=True, factor=0.001, conv=True), dropout=Dropout(enabled=True, rate=0.25),
                    schedule=Schedule(enabled=True, kind="step", step_every=2),
                    transfer=Transfer(enabled=True, fine_tune_layers=1))
    assert TrainConfig.from_json(c.to_json()) == c
    assert TrainConfig.from_dict({**c.to_dict(), "from_a_newer_version": 1}) == c


@pytest.mark.parametrize("change, words", [
    (dict(learning_rate=-0.1), "learning rate is -0.1"),
    (dict(dropout=Dropout(enabled=True, rate=1.0)), "dropout rate is 1.0"),
    (dict(batch_size=0), "batch size is 0"),
    (dict(epochs=0), "epochs is 0"),
    (dict(learning_rate=float("nan")), "learning rate is nan"),
    (dict(l2=L2(enabled=True, factor=0)), "L2 factor is 0"),
    (dict(schedule=Schedule(enabled=True, kind="magic")), "schedule is 'magic'"),
    (dict(train_size=3), "training-set size is 3"),
])
def test_bad_settings_are_named_with_their_fix(change, words):
    with pytest.raises(InputError, match="Expected valid training settings") as err:
        TrainConfig(**change).validate()
    assert words in str(err.value) and "use " in str(err.value)


def test_schedules_per_epoch():
    base = 0.01
    seed = planned_rates(Schedule(enabled=True, kind="seed"), base, 14)
    assert seed[:10] == [base] * 10
    for e in range(10, 14):  # the Keras tutorial's scheduler: lr * exp(-0.1) each epoch from epoch 10
        assert seed[e] == pytest.approx(seed[e - 1] * math.exp(-0.1), rel=1e-12)
    step = planned_rates(Schedule(enabled=True, kind="step", step_every=3, step_factor=0.5), base, 7)
    assert step == pytest.approx([base] * 3 + [base / 2] * 3 + [base / 4])
    expo = planned_rates(Schedule(enabled=True, kind="exponential", decay=0.2), base, 4)
    assert expo == pytest.approx([base * math.exp(-0.2 * e) for e in range(4)])
    cos = planned_rates(Schedule(enabled=True, kind="cosine", min_lr=0.0), base, 5)
    assert cos == pytest.approx([base, base * (1 + math.cos(math.pi / 4)) / 2, base / 2,
                                 base * (1 + math.cos(3 * math.pi / 4)) / 2, 0.0], abs=1e-15)
    assert planned_rates(Schedule(enabled=False), base, 3) == [base] * 3
    assert planned_rates(Schedule(enabled=True, kind="plateau"), base, 3) == [base] * 3  # decided live


def test_datasets_split_the_same_way_for_every_run():
    a = load("digits", train_size=100)
    b = load("digits", validation_fraction=0.3)
    assert a.x_train.shape == (100, 28, 28, 1) and a.x_train.min() >= 0 and a.x_train.max() <= 1
    np.testing.assert_array_equal(a.y_test, b.y_test)  # the test split never depends on the other settings
    m = load("mnist59")
    assert set(np.unique(m.y_train)) == set(range(5)) and m.classes == ("5", "6", "7", "8", "9")
    from evalcore.training.datasets import mnist_images
    assert len(m.y_train) + len(m.y_val) + len(m.y_test) == int((mnist_images()[1] >= 5).sum())


def test_strategies_that_cannot_apply_say_why():
    assert "tabular" in unavailable_strategies("wine")["augmentation"]
    assert "test images" in unavailable_strategies("mnist")["transfer"]
    assert unavailable_strategies("digits") == {}
    assert set(DATASETS) >= {"digits", "mnist", "mnist59", "breast_cancer", "wine", "iris", "csv"}
    with pytest.raises(InputError, match="Augmentation needs images"):
        launch.check(TrainConfig(dataset="iris", augmentation=Augmentation(enabled=True)))


def test_user_csv_with_text_features_is_refused_before_anything_starts(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("age,city,label\n" + "".join(f"{20 + i},{'Oslo' if i % 2 else 'Rome'},{i % 2}\n"
                                                    for i in range(20)))
    with pytest.raises(InputError, match="city") as err:
        launch.check(TrainConfig(dataset="csv", csv_path=str(path), label_column="label"))
    assert "file lines 2, 3" in str(err.value) and "Fix:" in str(err.value)
    x, y, classes, features = csv_table(_numeric_csv(tmp_path), None)
    assert x.shape == (20, 2) and classes == ("no", "yes") and features == ("a", "b")


def _numeric_csv(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("a;b;label\n" + "".join(f"{i};{i * 2.5};{'yes' if i % 3 else 'no'}\n" for i in range(20)))
    return path


def test_the_streamlit_side_of_training_never_imports_keras():
    import subprocess
    code = ("import sys; import evalcore.training.launch, evalcore.training.datasets, evalcore.training.bases, "
            "evalcore.training.strategies, evalcore.runs.curves, evalcore.charts; "
            "print([m for m in ('tensorflow', 'keras') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
