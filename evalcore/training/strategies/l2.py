"""L2 regularisation: ``kernel_regularizer=L2(factor)`` on the dense layers, and the conv layers if ``conv``.

Example:
    >>> STRATEGY.short(L2(enabled=True)), STRATEGY.cell({"enabled": True, "factor": 0.001, "conv": True})
    ('L2 0.01', '0.001 +conv')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalcore.training.strategies.base import Problems, Strategy, StrategySettings, number, register, setting, shown


@dataclass(frozen=True)
class L2(StrategySettings):
    """``kernel_regularizer=L2(factor)`` on the dense layers, and the conv layers if ``conv``."""

    factor: float = setting(0.01, "L2 factor", label="Factor", key="l2_factor", widget="select_slider",
                            options=(1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1))
    conv: bool = setting(False, "L2 on conv layers", label="Also on conv layers", key="l2_conv",
                         widget="checkbox", images_only=True, cli="--l2-conv", cli_help="L2 on the conv layers too")


class L2Strategy(Strategy):
    name = "l2"
    order = 20
    noun = "L2"
    label = "L2 regularisation"
    help = "Adds factor x sum of squared weights to the loss: smaller weights, less overfitting."
    key = "l2_on"
    settings = L2
    cli = "--l2"
    cli_value = "factor"
    cli_help = "L2 regularisation factor"
    axis = "L2 factor"
    axis_setting = "factor"

    def short(self, s: L2) -> str:
        return f"L2 {s.factor:g}"

    def cell(self, stored):
        return shown(stored.get("factor", 0)) + (" +conv" if stored.get("conv") else "")

    def check(self, s: L2, problems: Problems) -> None:
        problems.need(number(s.factor) and 0 < s.factor <= 1, "L2 factor", s.factor,
                      "use a positive number up to 1, such as 0.01")

    def kernel_regularizer(self, s: L2, keras: Any, conv: bool) -> Any | None:
        if conv and not s.conv:
            return None
        return keras.regularizers.L2(s.factor) if s.factor else None


STRATEGY = register(L2Strategy())
