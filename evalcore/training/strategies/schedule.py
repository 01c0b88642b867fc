"""Learning-rate schedule: the rate per epoch as a plain function (testable without Keras), and its callback.

Example:
    >>> [round(learning_rate(Schedule(enabled=True), 0.01, e), 5) for e in (0, 9, 10, 11)]
    [0.01, 0.01, 0.00905, 0.00819]
    >>> STRATEGY.short(Schedule(enabled=True, kind="step"))
    'step LR schedule'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalcore.errors import input_error
from evalcore.training.strategies.base import Problems, Strategy, StrategySettings, number, register, setting

if TYPE_CHECKING:
    from evalcore.training.config import TrainConfig

SCHEDULES = ("seed", "step", "exponential", "cosine", "plateau")
TITLES = {"seed": "Seed: hold, then x exp(-decay) per epoch", "step": "Step decay",
          "exponential": "Exponential decay", "cosine": "Cosine decay", "plateau": "Reduce on plateau"}
_FACTOR = dict(label="Multiply by", widget="slider", low=0.05, high=0.95, step=0.05)


@dataclass(frozen=True)
class Schedule(StrategySettings):
    """Learning-rate schedule; ``kind`` one of SCHEDULES (values per epoch in :func:`learning_rate`)."""

    kind: str = setting("seed", "schedule", label="Schedule", key="lr_kind", widget="select", options=SCHEDULES,
                        titles=TITLES, wide=True)
    # seed: constant hold_epochs epochs, then x exp(-decay) per epoch; exponential: x exp(-decay) per epoch
    hold_epochs: int = setting(10, "hold epochs", label="Hold for epochs", key="lr_hold", widget="number", low=0,
                               high=1000, when=("seed",))
    decay: float = setting(0.1, "decay", label="Decay per epoch", key="lr_decay", widget="number", low=0.0,
                           high=5.0, step=0.05, when=("seed", "exponential"))
    step_every: int = setting(10, "step every", label="Every epochs", key="lr_every", widget="number", low=1,
                              high=1000, when=("step",))  # step: x step_factor every step_every epochs
    step_factor: float = setting(0.5, "step factor", key="lr_factor", when=("step",), **_FACTOR)
    # plateau: x plateau_factor after plateau_patience epochs without progress
    plateau_patience: int = setting(3, "plateau patience", label="Patience (epochs)", key="lr_patience",
                                    widget="number", low=1, high=100, when=("plateau",))
    plateau_factor: float = setting(0.5, "plateau factor", key="lr_pfactor", when=("plateau",), **_FACTOR)
    min_lr: float = setting(1e-6, "minimum rate")


def learning_rate(schedule: Schedule, base: float, epoch: int, epochs: int = 1) -> float:
    """The rate used during ``epoch`` (0-based). 'plateau' depends on the losses, so it starts at ``base``.

    - seed: ``base`` for ``hold_epochs`` epochs, then x exp(-decay) each epoch (the classic Keras tutorial
      scheduler, applied to the current rate, so it compounds);
    - step: x ``step_factor`` every ``step_every`` epochs;
    - exponential: x exp(-decay) each epoch from the start;
    - cosine: from ``base`` down to ``min_lr`` over ``epochs`` epochs.
    """
    if not schedule.enabled or schedule.kind == "plateau":
        return base
    if schedule.kind == "seed":
        return base * math.exp(-schedule.decay * max(0, epoch - schedule.hold_epochs + 1))
    if schedule.kind == "step":
        return base * schedule.step_factor ** (epoch // schedule.step_every)
    if schedule.kind == "exponential":
        return base * math.exp(-schedule.decay * epoch)
    if schedule.kind == "cosine":
        span = max(1, epochs - 1)
        return schedule.min_lr + (base - schedule.min_lr) * 0.5 * (1 + math.cos(math.pi * min(epoch, span) / span))
    raise input_error(f"a schedule among {', '.join(SCHEDULES)}", repr(schedule.kind), "pick one of those")


def planned_rates(schedule: Schedule, base: float, epochs: int) -> list[float]:
    """The rate for every epoch (for the chart shown before training starts)."""
    return [learning_rate(schedule, base, e, epochs) for e in range(epochs)]


def planned_chart(s: Schedule, base: float, epochs: int) -> list[float] | None:
    """The rates to draw before training starts, or None when they are decided live (reduce-on-plateau).

    >>> planned_chart(Schedule(enabled=True, kind="plateau"), 0.01, 3) is None
    True
    """
    return None if s.kind == "plateau" else planned_rates(s, base, epochs)


def never_acts(s: Schedule, config: TrainConfig) -> str | None:
    """Why the schedule cannot change the learning rate within ``config.epochs`` epochs, or None."""
    if s.kind == "plateau":
        if config.epochs > s.plateau_patience:
            return None
        return (f"Reduce-on-plateau waits {s.plateau_patience} epoch(s) without progress before it acts, so in "
                f"{config.epochs} epoch(s) it never can. Fix: train for more epochs or lower the patience.")
    rates = planned_rates(s, config.learning_rate, config.epochs)
    if any(abs(r - config.learning_rate) > 1e-12 * config.learning_rate for r in rates):
        return None
    if s.kind == "seed":
        why = f"keeps the rate for {s.hold_epochs} epochs, and this run has {config.epochs}"
        fix = f"train for more than {s.hold_epochs} epochs, or hold for fewer"
    elif s.kind == "step":
        why = f"first changes the rate after {s.step_every} epochs, and this run has {config.epochs}"
        fix = f"train for more than {s.step_every} epochs, or step sooner"
    else:
        why = f"does not change the rate in {config.epochs} epoch(s) with these settings"
        fix = "train for more epochs or choose another schedule"
    return (f"The {s.kind} learning-rate schedule {why}, so it never acts: the run is the same as without it. "
            f"Fix: {fix}.")


class ScheduleStrategy(Strategy):
    name = "schedule"
    order = 40
    noun = "schedule"
    label = "Learning-rate schedule"
    help = "Changes the learning rate during training: big steps first, small steps to settle."
    key = "lr_on"
    settings = Schedule
    cli = "--schedule"
    cli_value = "kind"
    cli_help = "learning-rate schedule"
    axis = "LR schedule"

    def short(self, s: Schedule) -> str:
        return f"{s.kind} LR schedule"

    def cell(self, stored):
        return str(stored.get("kind", ""))

    def check(self, s: Schedule, problems: Problems) -> None:
        problems.need(s.kind in SCHEDULES, "schedule", s.kind, f"use one of {', '.join(SCHEDULES)}")
        problems.need(isinstance(s.hold_epochs, int) and s.hold_epochs >= 0, "hold epochs", s.hold_epochs,
                      "use a whole number, 0 or more")
        problems.need(number(s.decay) and 0 <= s.decay <= 5, "decay", s.decay, "use a number from 0 to 5")
        problems.need(isinstance(s.step_every, int) and s.step_every >= 1, "step every", s.step_every,
                      "use a whole number of epochs, 1 or more")
        for name, value in (("step factor", s.step_factor), ("plateau factor", s.plateau_factor)):
            problems.need(number(value) and 0 < value < 1, name, value, "use a fraction between 0 and 1")
        problems.need(isinstance(s.plateau_patience, int) and s.plateau_patience >= 1, "plateau patience",
                      s.plateau_patience, "use a whole number of epochs, 1 or more")

    def warnings(self, s: Schedule, config: TrainConfig) -> list[tuple[str, str]]:
        message = never_acts(s, config)
        return [("schedule", message)] if message else []

    def callbacks(self, s: Schedule, config: TrainConfig, keras: Any) -> list[Any]:
        if s.kind == "plateau":
            return [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=s.plateau_factor,
                                                      patience=s.plateau_patience, min_lr=s.min_lr)]
        return [keras.callbacks.LearningRateScheduler(
            lambda epoch, lr: learning_rate(s, config.learning_rate, epoch, config.epochs))]


STRATEGY = register(ScheduleStrategy())
