"""TrainConfig: every setting of a training run, frozen, validated, and round-tripped through JSON.

Example:
    >>> c = TrainConfig(dataset="digits", dropout=Dropout(enabled=True, rate=0.3))
    >>> TrainConfig.from_json(c.to_json()) == c
    True
    >>> c.strategies()
    ['dropout 0.3']
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from evalcore.errors import InputError
from evalcore.training import strategies as registry
from evalcore.training.strategies import Problems, Strategy, StrategySettings
from evalcore.training.strategies.augmentation import FILL_MODES, Augmentation
from evalcore.training.strategies.base import field_names, number
from evalcore.training.strategies.dropout import Dropout
from evalcore.training.strategies.l2 import L2
from evalcore.training.strategies.schedule import SCHEDULES, Schedule
from evalcore.training.strategies.transfer import Transfer

# The settings of the built-in strategies, importable from here as before (their modules own them).
__all__ = ["FILL_MODES", "OPTIMIZERS", "SCHEDULES", "L2", "Augmentation", "Dropout", "Schedule", "TrainConfig",
           "Transfer"]

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adamw")
_GROUPS = "strategy_settings"  # the field holding every strategy's settings, stored as one group per strategy


@dataclass(frozen=True, init=False)
class TrainConfig:
    """Everything a run needs; JSON in the run store. Each registered strategy's settings are a keyword
    (``TrainConfig(dropout=Dropout(enabled=True))``) and an attribute (``config.dropout``); a strategy not given
    has its defaults (off)."""

    dataset: str = "digits"
    epochs: int = 15
    batch_size: int = 32
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    train_size: int | None = None  # rows of the training split to use (None: all)
    validation_fraction: float = 0.2
    seed: int = 0
    strategy_settings: tuple[tuple[str, StrategySettings], ...] = ()  # (name, settings) per strategy, in order
    csv_path: str | None = None      # dataset "csv": the user's file (feature columns + a label column)
    label_column: str | None = None
    tensorboard: bool = False
    early_stopping: int = 0  # patience in epochs without a better validation loss (0: off); the best epoch's
    #                          weights are restored at the end (the test set is evaluated with them)
    batch_log_seconds: float = 0.25  # per-batch points: at most one per this many seconds

    def __init__(self, **values: Any) -> None:
        given = dict(values.pop(_GROUPS, ()))
        for f in fields(self):
            if f.name != _GROUPS:
                object.__setattr__(self, f.name, values.pop(f.name, f.default))
        groups = []
        for s in registry.registry():
            settings = values.pop(s.name, given.get(s.name, s.settings()))
            groups.append((s.name, settings))
        if values:
            raise TypeError(f"TrainConfig got unknown settings {sorted(values)}")
        object.__setattr__(self, _GROUPS, tuple(groups))

    def __getattr__(self, name: str) -> Any:
        """A strategy's settings: ``config.dropout``."""
        for key, value in self.__dict__.get(_GROUPS, ()):
            if key == name:
                return value
        raise AttributeError(f"TrainConfig has no setting {name!r}")

    def enabled(self) -> list[tuple[Strategy, Any]]:
        """(strategy, its settings) of the strategies switched on, in order."""
        return registry.enabled_in(self.strategy_settings)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    def to_dict(self) -> dict:
        """The stored form: the general settings with one group per strategy (``{"dropout": {"rate": 0.5, ...}}``)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == _GROUPS:
                out.update((name, asdict(settings)) for name, settings in self.strategy_settings)
            else:
                out[f.name] = getattr(self, f.name)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        """Settings from their JSON form. Keys from a newer version are ignored, not fatal; a settings group
        that is not a table of settings (``{"dropout": 5}``) is an InputError naming it."""
        if not isinstance(data, dict):
            raise InputError(f"Expected training settings as a table of values, found {type(data).__name__}. "
                             "Fix: export the run again from evalcore.")
        general = {f.name for f in fields(cls)} - {_GROUPS}
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if k in general}
        for s in registry.registry():
            if s.name in data:
                kwargs[s.name] = _group(s, data[s.name])
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        return cls.from_dict(json.loads(text))

    def replace(self, **changes) -> TrainConfig:
        return replace(self, **changes)

    def strategies(self) -> list[str]:
        """The strategies switched on, with their main setting, for titles and tables."""
        return [s.short(settings) for s, settings in self.enabled()]

    def validate(self) -> None:
        """Raise InputError naming every bad setting and its fix, before anything starts."""
        problems = Problems()
        _general_problems(self, problems)
        groups = dict(self.strategy_settings)
        for enabled in (True, False):  # the on/off switches, then the strategies' other true/false settings
            for s in registry.registry():
                if s.name in groups:
                    s.switches(groups[s.name], problems, enabled)
        problems.need(isinstance(self.tensorboard, bool), "TensorBoard", self.tensorboard, "use true or false")
        problems.need(isinstance(self.early_stopping, int) and not isinstance(self.early_stopping, bool)
                      and 0 <= self.early_stopping <= 1000, "early-stopping patience", self.early_stopping,
                      "use a whole number of epochs from 1 to 1000, or 0 for no early stopping")
        for s, settings in self.enabled():
            s.check(settings, problems)
        problems.need(number(self.batch_log_seconds) and self.batch_log_seconds >= 0, "batch log interval",
                      self.batch_log_seconds, "use seconds, 0 or more")
        error = problems.error()
        if error is not None:
            raise error


def _general_problems(c: TrainConfig, problems: Problems) -> None:
    """The settings every run has, before the strategies'."""
    need = problems.need
    need(isinstance(c.epochs, int) and 1 <= c.epochs <= 1000, "epochs", c.epochs, "use a whole number from 1 to 1000")
    need(isinstance(c.batch_size, int) and 1 <= c.batch_size <= 4096, "batch size", c.batch_size,
         "use a whole number from 1 to 4096")
    need(c.optimizer in OPTIMIZERS, "optimizer", c.optimizer, f"use one of {', '.join(OPTIMIZERS)}")
    need(number(c.learning_rate) and 0 < c.learning_rate <= 10, "learning rate", c.learning_rate,
         "use a positive number such as 0.001")
    need(c.train_size is None or (isinstance(c.train_size, int) and c.train_size >= 10),
         "training-set size", c.train_size, "use at least 10 rows, or leave it empty for all")
    need(number(c.validation_fraction) and 0.05 <= c.validation_fraction <= 0.5,
         "validation fraction", c.validation_fraction, "use a number from 0.05 to 0.5")
    need(isinstance(c.seed, int) and 0 <= c.seed < 2 ** 31, "seed", c.seed, "use a whole number from 0 to 2147483647")
    need(isinstance(c.dataset, str) and 0 < len(c.dataset) <= 100, "dataset", c.dataset, "use a dataset name")
    for setting, value in (("CSV file", c.csv_path), ("label column", c.label_column)):
        need(value is None or (isinstance(value, str) and len(value) <= 4096), setting, value,
             "use text, or leave it empty")


def _group(strategy: Strategy, value: Any) -> StrategySettings:
    """A strategy's settings from its stored group; keys it does not know (a newer version's) are ignored."""
    sub = strategy.settings
    if not isinstance(value, dict):
        raise InputError(f"Expected the settings group '{strategy.name}' as a table such as "
                         f"{json.dumps(asdict(sub()))}, found {json.dumps(value)[:40]}. "
                         f"Fix: give '{strategy.name}' its settings, or leave it out for the defaults.")
    known = field_names(sub)
    return sub(**{k: v for k, v in value.items() if k in known})
