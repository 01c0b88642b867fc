"""Training strategies: one module each, registered here in the order of the Train page, the CLI, the runs
table and the ablation study. A new strategy is a new module that ends with ``STRATEGY = register(...)``, plus
its name in the import line below.

Example:
    >>> names()
    ('augmentation', 'l2', 'dropout', 'schedule', 'transfer')
"""

from __future__ import annotations

from evalcore.training.strategies.base import (
    Problems,
    Setting,
    Strategy,
    StrategySettings,
    cli_flag,
    enabled_in,
    get,
    meta,
    names,
    register,
    registry,
    setting,
    unregister,
)

# The registration line: import a strategy's module to register it (order = display order).
from evalcore.training.strategies import augmentation, l2, dropout, schedule, transfer  # noqa: E402,F401

__all__ = ["Problems", "Setting", "Strategy", "StrategySettings", "cli_flag", "enabled_in", "get", "meta", "names", "register",
           "registry", "setting", "unregister"]
