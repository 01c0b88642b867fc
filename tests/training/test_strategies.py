"""The strategy registry: every strategy keeps the contract, and a new strategy is one module.

The throwaway strategy below is defined and registered in this test only; the config, the CLI, the ablation plan,
the runs table, the Train page and the model pick it up without any other file knowing it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pytest

from evalcore.errors import InputError
from evalcore.runs import SqliteRunStore
from evalcore.runs.compare import config_diff, runs_table, settings_and_results
from evalcore.training import ablation, launch, strategies
from evalcore.training.config import TrainConfig
from evalcore.training.datasets import DATASETS, unavailable_strategies
from evalcore.training.strategies import Problems, Strategy, StrategySettings, meta, setting
from evalcore.training.strategies.base import number, shown

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- every registered strategy keeps the contract


BUILT_IN = ("augmentation", "l2", "dropout", "schedule", "transfer")


def test_the_built_in_strategies_in_their_order():
    assert tuple(name for name in strategies.names() if name in BUILT_IN) == BUILT_IN


@pytest.mark.parametrize("strategy", strategies.registry(), ids=strategies.names())
def test_each_strategy_keeps_the_contract(strategy: Strategy):
    s = strategy.settings()
    assert dataclasses.is_dataclass(s) and isinstance(s, StrategySettings) and s.enabled is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.enabled = True  # type: ignore[misc]
    on = dataclasses.replace(s, enabled=True)
    problems = Problems()
    strategy.check(on, problems)
    assert problems.items == []  # the seed's defaults are valid
    assert strategy.short(on) and strategy.text(dataclasses.asdict(on)) not in ("", "off")
    assert strategy.text(dataclasses.asdict(s)) == "off" and strategy.text({}) == "off"
    assert strategy.label and strategy.help and strategy.key and strategy.cli.startswith("--")
    for f in strategy.form_fields():
        m = meta(f)
        assert m.label and m.key, f.name
        if m.widget in ("slider", "number"):
            assert m.low is not None and m.high is not None and m.low <= f.default <= m.high, f.name
    for name in DATASETS:
        why = strategy.unavailable(name, DATASETS[name].kind)
        assert why is None or (why.endswith(".") and len(why) > 20)


def test_widget_keys_and_flags_are_unique_across_strategies():
    keys = [s.key for s in strategies.registry()] + [k for s in strategies.registry() for f in s.form_fields()
                                                     for k in (meta(f).key, meta(f).fix_key) if k]
    flags = [s.cli for s in strategies.registry()] + [meta(f).cli for s in strategies.registry()
                                                      for f in dataclasses.fields(s.settings) if meta(f).cli]
    assert len(keys) == len(set(keys)) and len(flags) == len(set(flags))


def test_seed_defaults():
    c = TrainConfig()
    assert (c.augmentation.rotation_degrees, c.augmentation.width_shift, c.augmentation.height_shift,
            c.augmentation.shear, c.augmentation.zoom, c.augmentation.horizontal_flip,
            c.augmentation.fill_mode) == (20.0, 0.2, 0.2, 0.2, 0.2, True, "nearest")
    assert c.l2.factor == 0.01 and c.dropout.rate == 0.5
    assert (c.schedule.kind, c.schedule.hold_epochs, c.schedule.decay) == ("seed", 10, 0.1)
    assert (c.transfer.base, c.transfer.fine_tune_layers) == ("mnist04", 0)
    assert c.strategies() == [] and not c.enabled()


def test_the_stored_form_is_unchanged():
    """A run stored before the registry existed (this exact JSON) loads, and is written back the same."""
    stored = ('{"augmentation": {"enabled": true, "fill_mode": "nearest", "height_shift": 0.2, "horizontal_flip": '
              'false, "rotation_degrees": 20, "shear": 0.2, "width_shift": 0.2, "zoom": 0.3}, "batch_log_seconds": '
              '0.25, "batch_size": 32, "csv_path": null, "dataset": "digits", "dropout": {"enabled": true, "rate": '
              '0.25}, "epochs": 7, "l2": {"conv": true, "enabled": true, "factor": 0.001}, "label_column": null, '
              '"learning_rate": 0.001, "optimizer": "adam", "schedule": {"decay": 0.1, "enabled": true, '
              '"hold_epochs": 10, "kind": "step", "min_lr": 1e-06, "plateau_factor": 0.5, "plateau_patience": 3, '
              '"step_every": 2, "step_factor": 0.5}, "seed": 0, "tensorboard": false, "train_size": 50, '
              '"transfer": {"base": "mnist04", "enabled": true, "fine_tune_layers": 1}, "validation_fraction": 0.2}')
    config = TrainConfig.from_json(stored)
    written = config.to_dict()
    for added in set(strategies.names()) - set(BUILT_IN):  # a strategy added since writes its defaults too
        del written[added]
    assert written.pop("early_stopping") == 0  # so does a setting added since: off, as the run was trained
    assert json.dumps(written, sort_keys=True) == stored
    assert list(written)[7:14] == ["seed", "augmentation", "l2", "dropout", "schedule", "transfer", "csv_path"]
    assert config.strategies() == ["augmentation", "L2 0.001", "dropout 0.25", "step LR schedule",
                                   "transfer (mnist04, fine-tune 1)"]


def test_validation_names_each_strategy_setting_in_order():
    bad = TrainConfig(epochs=0, l2=strategies.get("l2").settings(enabled="yes", conv=1),
                      dropout=strategies.get("dropout").settings(enabled=True, rate=1.0), tensorboard=3)
    with pytest.raises(InputError) as err:
        bad.validate()
    assert str(err.value).startswith("Expected valid training settings, found epochs is 0; L2 on/off is 'yes'; "
                                     "L2 on conv layers is 1; TensorBoard is 3; dropout rate is 1.0. Fix: ")


# ---------------------------------------------------------------- a throwaway strategy, registered here only


@dataclasses.dataclass(frozen=True)
class Noise(StrategySettings):
    """Gaussian noise on the hidden layer."""

    stddev: float = setting(0.1, "noise level", label="Noise level", key="noise_std", widget="slider", low=0.0,
                            high=1.0, step=0.05, wide=True, cli="--noise-level", cli_help="its standard deviation")


class NoiseStrategy(Strategy):
    name = "noise"
    noun = "noise"
    label = "Gaussian noise"
    help = "Adds random noise to the hidden units while training."
    key = "noise_on"
    settings = Noise
    cli = "--noise"
    cli_help = "Gaussian noise on the hidden layer"
    axis_setting = "stddev"

    def short(self, s: Noise) -> str:
        return f"noise {s.stddev:g}"

    def cell(self, stored):
        return shown(stored.get("stddev", 0))

    def check(self, s: Noise, problems: Problems) -> None:
        problems.need(number(s.stddev) and 0 < s.stddev <= 1, "noise level", s.stddev, "use a number from 0 to 1")

    def unavailable(self, dataset: str, kind: str) -> str | None:
        return "Noise is for images only, in this test." if kind == "tabular" else None

    def after_hidden(self, s: Noise, config, keras, x):
        return keras.layers.GaussianNoise(s.stddev, seed=config.seed, name="noise")(x)


@pytest.fixture
def noise():
    strategy = strategies.register(NoiseStrategy())
    yield strategy
    strategies.unregister("noise")
    assert "noise" not in strategies.names()


def test_a_registered_strategy_is_in_the_config_and_its_json(noise):
    c = TrainConfig(dataset="digits", noise=Noise(enabled=True, stddev=0.3))
    assert c.noise.stddev == 0.3 and c.strategies() == ["noise 0.3"]
    assert c.to_dict()["noise"] == {"enabled": True, "stddev": 0.3}
    assert TrainConfig.from_json(c.to_json()) == c
    assert TrainConfig.from_dict({"dataset": "digits"}).noise == Noise()  # runs stored before it: off
    with pytest.raises(InputError) as err:
        c.replace(noise=Noise(enabled=True, stddev=5), tensorboard=1).validate()
    assert str(err.value) == ("Expected valid training settings, found TensorBoard is 1; noise level is 5. Fix: "
                              "TensorBoard: use true or false; noise level: use a number from 0 to 1.")
    with pytest.raises(InputError, match="noise on/off is 'x'"):
        TrainConfig(noise=Noise(enabled="x")).validate()  # type: ignore[arg-type]


def test_a_registered_strategy_has_its_cli_flags(noise):
    from evalcore.__main__ import _train_parser
    parser = argparse.ArgumentParser()
    _train_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train", "--noise", "--noise-level", "0.4", "--dropout"])
    assert noise.from_arguments(args) == Noise(enabled=True, stddev=0.4)
    assert strategies.get("dropout").from_arguments(args).enabled
    assert noise.from_arguments(parser.parse_args(["train"])) == Noise()


def test_a_registered_strategy_is_an_ablation_variant_where_it_applies(noise):
    digits = [name for name, _ in ablation.variants(TrainConfig(dataset="digits"))]
    assert digits == ["baseline", *strategies.names(), "all on"] and digits[-2:] == ["noise", "all on"]
    plan = dict(ablation.variants(TrainConfig(dataset="digits", noise=Noise(stddev=0.2))))
    assert plan["noise"].noise == Noise(enabled=True, stddev=0.2) and not plan["baseline"].noise.enabled
    assert plan["all on"].noise.enabled
    assert "noise" not in dict(ablation.variants(TrainConfig(dataset="wine")))
    assert unavailable_strategies("wine")["noise"] == "Noise is for images only, in this test."
    with pytest.raises(InputError, match="Noise is for images only"):
        launch.check(TrainConfig(dataset="wine", noise=Noise(enabled=True)))


def test_a_registered_strategy_has_its_runs_table_column(noise, tmp_path):
    store = SqliteRunStore(tmp_path)
    a = store.create_run("a", "train", TrainConfig(dataset="digits").to_dict())
    b = store.create_run("b", "train", TrainConfig(dataset="digits", noise=Noise(enabled=True, stddev=0.3)).to_dict())
    c = store.create_run("c", "train", {**TrainConfig(dataset="digits").to_dict(), "noise": {"enabled": True,
                                                                                           "stddev": 7}})
    table = runs_table(store).set_index("id")
    assert list(table.columns)[list(table.columns).index("transfer") + 1] == "noise"
    assert table.loc[a, "noise"] == "off" and table.loc[b, "noise"] == "0.3" and table.loc[c, "noise"] == "7"
    assert table.loc[c, "problems"].startswith("config: Expected valid training settings, found noise level is 7")
    assert table.loc[b, "problems"] == ""
    runs = [store.run(a), store.run(b)]
    diff = config_diff(runs, only_differences=True)
    assert diff.index.tolist() == ["noise.enabled", "noise.stddev"]
    assert diff.loc["noise.stddev"].tolist()[1:] == ["(off)", "0.3"]
    axes = settings_and_results(runs, runs_table(store)).set_index("run")
    assert axes.loc[f"#{b}", "noise"] == 0.3 and axes.loc[f"#{a}", "noise"] == 0.0


def test_a_registered_strategy_has_its_switch_and_settings_on_the_train_page(noise):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/train.py").run()
    assert [t.label for t in at.toggle][-1] == "Gaussian noise"
    at.toggle(key="noise_on").set_value(True).run()
    assert not at.exception and at.slider(key="noise_std").value == 0.1
    at.selectbox(key="train_dataset").set_value("wine").run()
    assert at.toggle(key="noise_on").disabled
    assert any("Noise is for images only" in c.value for c in at.caption)


def test_a_registered_strategy_adds_its_layer_to_the_model(noise):
    from evalcore.training.model import build_model  # imports Keras (a requirement: an import error fails)
    model = build_model(TrainConfig(noise=Noise(enabled=True, stddev=0.3), dropout=strategies.get(
        "dropout").settings(enabled=True)), (28, 28, 1), 10, "image")
    names = [layer.name for layer in model.layers]
    assert names[names.index("head_hidden"):] == ["head_hidden", "dropout", "noise", "head_output"]
    assert model.get_layer("noise").stddev == 0.3


def test_stored_json_of_a_config_is_plain_json():
    assert json.loads(TrainConfig().to_json())["dropout"] == {"enabled": False, "rate": 0.5}


def test_a_run_whose_strategy_is_not_ready_on_this_machine_is_refused_before_a_worker_starts():
    from evalcore.training.config import Transfer
    config = TrainConfig(dataset="digits", transfer=Transfer(enabled=True, base="no-such-base"))
    with pytest.raises(InputError, match="Expected an available pretrained base, found 'no-such-base'"):
        launch.check(config)
    launch.check(config.replace(transfer=Transfer(enabled=False, base="no-such-base")))  # off: not asked
