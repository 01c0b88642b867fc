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
from dataclasses import asdict, dataclass, field, fields, replace

from evalcore.errors import InputError

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adamw")
SCHEDULES = ("seed", "step", "exponential", "cosine", "plateau")
FILL_MODES = ("nearest", "reflect", "wrap", "constant")


@dataclass(frozen=True)
class Augmentation:
    """Keras preprocessing layers inside the model (active only while training)."""

    enabled: bool = False
    rotation_degrees: float = 20.0
    width_shift: float = 0.2
    height_shift: float = 0.2
    shear: float = 0.2
    zoom: float = 0.2
    horizontal_flip: bool = True
    fill_mode: str = "nearest"


@dataclass(frozen=True)
class L2:
    """``kernel_regularizer=L2(factor)`` on the dense layers, and the conv layers if ``conv``."""

    enabled: bool = False
    factor: float = 0.01
    conv: bool = False


@dataclass(frozen=True)
class Dropout:
    """``Dropout(rate)`` after the hidden dense layer."""

    enabled: bool = False
    rate: float = 0.5


@dataclass(frozen=True)
class Schedule:
    """Learning-rate schedule; ``kind`` one of SCHEDULES (values per epoch in :mod:`schedules`)."""

    enabled: bool = False
    kind: str = "seed"
    hold_epochs: int = 10          # seed: constant this many epochs, then x exp(-decay) per epoch
    decay: float = 0.1             # seed and exponential: rate x exp(-decay) per epoch
    step_every: int = 10           # step: multiply by step_factor every step_every epochs
    step_factor: float = 0.5
    plateau_patience: int = 3      # plateau: multiply by plateau_factor after patience epochs without progress
    plateau_factor: float = 0.5
    min_lr: float = 1e-6


@dataclass(frozen=True)
class Transfer:
    """A pretrained convolutional base, frozen, under the seed's head; optionally fine-tune its top layers."""

    enabled: bool = False
    base: str = "mnist04"
    fine_tune_layers: int = 0


@dataclass(frozen=True)
class TrainConfig:
    """Everything a run needs; JSON in the run store."""

    dataset: str = "digits"
    epochs: int = 15
    batch_size: int = 32
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    train_size: int | None = None  # rows of the training split to use (None: all)
    validation_fraction: float = 0.2
    seed: int = 0
    augmentation: Augmentation = field(default_factory=Augmentation)
    l2: L2 = field(default_factory=L2)
    dropout: Dropout = field(default_factory=Dropout)
    schedule: Schedule = field(default_factory=Schedule)
    transfer: Transfer = field(default_factory=Transfer)
    csv_path: str | None = None      # dataset "csv": the user's file (feature columns + a label column)
    label_column: str | None = None
    tensorboard: bool = False
    batch_log_seconds: float = 0.25  # per-batch points: at most one per this many seconds

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        """Settings from their JSON form. Keys from a newer version are ignored, not fatal; a settings group
        that is not a table of settings (``{"dropout": 5}``) is an InputError naming it."""
        if not isinstance(data, dict):
            raise InputError(f"Expected training settings as a table of values, found {type(data).__name__}. "
                             "Fix: export the run again from evalcore.")
        names = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in data.items():
            if key not in names:
                continue
            sub = _NESTED.get(key)
            if sub is None:
                kwargs[key] = value
                continue
            if not isinstance(value, dict):
                raise InputError(f"Expected the settings group '{key}' as a table such as "
                                 f"{json.dumps(asdict(sub()))}, found {json.dumps(value)[:40]}. "
                                 f"Fix: give '{key}' its settings, or leave it out for the defaults.")
            kwargs[key] = sub(**{k: v for k, v in value.items() if k in {f.name for f in fields(sub)}})
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        return cls.from_dict(json.loads(text))

    def replace(self, **changes) -> TrainConfig:
        return replace(self, **changes)

    def strategies(self) -> list[str]:
        """The strategies switched on, with their main setting, for titles and tables."""
        out = []
        if self.augmentation.enabled:
            out.append("augmentation")
        if self.l2.enabled:
            out.append(f"L2 {self.l2.factor:g}")
        if self.dropout.enabled:
            out.append(f"dropout {self.dropout.rate:g}")
        if self.schedule.enabled:
            out.append(f"{self.schedule.kind} LR schedule")
        if self.transfer.enabled:
            out.append(f"transfer ({self.transfer.base}"
                       + (f", fine-tune {self.transfer.fine_tune_layers}" if self.transfer.fine_tune_layers else "")
                       + ")")
        return out

    def validate(self) -> None:
        """Raise InputError naming every bad setting and its fix, before anything starts."""
        problems: list[tuple[str, str]] = []

        def need(ok: bool, setting: str, found, fix: str) -> None:
            if not ok:
                value = repr(found) if len(repr(found)) <= 40 else repr(found)[:39] + "…"
                problems.append((f"{setting} is {value}", f"{setting}: {fix}"))

        need(isinstance(self.epochs, int) and 1 <= self.epochs <= 1000, "epochs", self.epochs,
             "use a whole number from 1 to 1000")
        need(isinstance(self.batch_size, int) and 1 <= self.batch_size <= 4096, "batch size", self.batch_size,
             "use a whole number from 1 to 4096")
        need(self.optimizer in OPTIMIZERS, "optimizer", self.optimizer, f"use one of {', '.join(OPTIMIZERS)}")
        need(_number(self.learning_rate) and 0 < self.learning_rate <= 10, "learning rate", self.learning_rate,
             "use a positive number such as 0.001")
        need(self.train_size is None or (isinstance(self.train_size, int) and self.train_size >= 10),
             "training-set size", self.train_size, "use at least 10 rows, or leave it empty for all")
        need(_number(self.validation_fraction) and 0.05 <= self.validation_fraction <= 0.5,
             "validation fraction", self.validation_fraction, "use a number from 0.05 to 0.5")
        need(isinstance(self.seed, int) and 0 <= self.seed < 2 ** 31, "seed", self.seed,
             "use a whole number from 0 to 2147483647")
        need(isinstance(self.dataset, str) and 0 < len(self.dataset) <= 100, "dataset", self.dataset,
             "use a dataset name")
        for setting, value in (("CSV file", self.csv_path), ("label column", self.label_column)):
            need(value is None or (isinstance(value, str) and len(value) <= 4096), setting, value,
                 "use text, or leave it empty")
        for setting, value in (("augmentation on/off", self.augmentation.enabled), ("L2 on/off", self.l2.enabled),
                               ("dropout on/off", self.dropout.enabled), ("schedule on/off", self.schedule.enabled),
                               ("transfer on/off", self.transfer.enabled), ("horizontal flip",
                                                                          self.augmentation.horizontal_flip),
                               ("L2 on conv layers", self.l2.conv), ("TensorBoard", self.tensorboard)):
            need(isinstance(value, bool), setting, value, "use true or false")
        a = self.augmentation
        if a.enabled:
            need(_number(a.rotation_degrees) and 0 <= a.rotation_degrees <= 180, "rotation", a.rotation_degrees,
                 "use degrees from 0 to 180")
            for name, value in (("width shift", a.width_shift), ("height shift", a.height_shift),
                                ("shear", a.shear), ("zoom", a.zoom)):
                need(_number(value) and 0 <= value < 1, name, value, "use a fraction from 0 to 0.99")
            need(a.fill_mode in FILL_MODES, "fill mode", a.fill_mode, f"use one of {', '.join(FILL_MODES)}")
        if self.l2.enabled:
            need(_number(self.l2.factor) and 0 < self.l2.factor <= 1, "L2 factor", self.l2.factor,
                 "use a positive number up to 1, such as 0.01")
        if self.dropout.enabled:
            need(_number(self.dropout.rate) and 0 < self.dropout.rate < 1, "dropout rate", self.dropout.rate,
                 "use a fraction strictly between 0 and 1, such as 0.5 (1.0 would drop every unit)")
        s = self.schedule
        if s.enabled:
            need(s.kind in SCHEDULES, "schedule", s.kind, f"use one of {', '.join(SCHEDULES)}")
            need(isinstance(s.hold_epochs, int) and s.hold_epochs >= 0, "hold epochs", s.hold_epochs,
                 "use a whole number, 0 or more")
            need(_number(s.decay) and 0 <= s.decay <= 5, "decay", s.decay, "use a number from 0 to 5")
            need(isinstance(s.step_every, int) and s.step_every >= 1, "step every", s.step_every,
                 "use a whole number of epochs, 1 or more")
            for name, value in (("step factor", s.step_factor), ("plateau factor", s.plateau_factor)):
                need(_number(value) and 0 < value < 1, name, value, "use a fraction between 0 and 1")
            need(isinstance(s.plateau_patience, int) and s.plateau_patience >= 1, "plateau patience",
                 s.plateau_patience, "use a whole number of epochs, 1 or more")
        t = self.transfer
        if t.enabled:
            need(isinstance(t.base, str) and len(t.base) <= 100, "pretrained base", t.base, "use a base's name")
            need(isinstance(t.fine_tune_layers, int) and t.fine_tune_layers >= 0, "fine-tune layers",
                 t.fine_tune_layers, "use a whole number, 0 or more")
        need(_number(self.batch_log_seconds) and self.batch_log_seconds >= 0, "batch log interval",
             self.batch_log_seconds, "use seconds, 0 or more")
        if problems:
            raise InputError("Expected valid training settings, found " + "; ".join(f for f, _ in problems)
                             + ". Fix: " + "; ".join(f for _, f in problems) + ".")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
        and abs(value) != float("inf")


_NESTED = {"augmentation": Augmentation, "l2": L2, "dropout": Dropout, "schedule": Schedule, "transfer": Transfer}
