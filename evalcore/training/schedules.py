"""Learning-rate schedules as plain functions of the epoch (0-based), so their values are testable without Keras.

Example:
    >>> from evalcore.training.config import Schedule
    >>> [round(learning_rate(Schedule(enabled=True), 0.01, e), 5) for e in (0, 9, 10, 11)]
    [0.01, 0.01, 0.00905, 0.00819]
"""

from __future__ import annotations

import math

from evalcore.errors import input_error
from evalcore.training.config import SCHEDULES, Schedule


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
