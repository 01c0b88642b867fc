"""Dropout: ``Dropout(rate)`` after the hidden dense layer.

Example:
    >>> STRATEGY.short(Dropout(enabled=True, rate=0.3)), STRATEGY.text({"enabled": False, "rate": 0.3})
    ('dropout 0.3', 'off')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalcore.training.strategies.base import Problems, Strategy, StrategySettings, number, register, setting, shown

if TYPE_CHECKING:
    from evalcore.training.config import TrainConfig


@dataclass(frozen=True)
class Dropout(StrategySettings):
    """``Dropout(rate)`` after the hidden dense layer."""

    rate: float = setting(0.5, "dropout rate", label="Rate", key="drop_rate", widget="slider", low=0.05, high=0.9,
                          step=0.05, wide=True)


class DropoutStrategy(Strategy):
    name = "dropout"
    order = 30
    noun = "dropout"
    label = "Dropout"
    help = ("Zeroes a random share of the hidden units at each training step, so no unit can be relied on alone. "
            "Helps against overfitting; slows convergence.")
    key = "drop_on"
    settings = Dropout
    cli = "--dropout"
    cli_value = "rate"
    cli_help = "dropout rate"
    axis = "dropout rate"
    axis_setting = "rate"

    def short(self, s: Dropout) -> str:
        return f"dropout {s.rate:g}"

    def cell(self, stored):
        return shown(stored.get("rate", 0))

    def check(self, s: Dropout, problems: Problems) -> None:
        problems.need(number(s.rate) and 0 < s.rate < 1, "dropout rate", s.rate,
                      "use a fraction strictly between 0 and 1, such as 0.5 (1.0 would drop every unit)")

    def after_hidden(self, s: Dropout, config: TrainConfig, keras: Any, x: Any) -> Any:
        return keras.layers.Dropout(s.rate, seed=config.seed, name="dropout")(x)


STRATEGY = register(DropoutStrategy())
