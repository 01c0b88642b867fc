"""Training strategies: one module each, registered in the order of the Train page, the CLI, the runs table and
the ablation study.

Everything else is derived from this registry: TrainConfig's strategy groups and their stored JSON, validation,
``python -m evalcore train`` flags, the Train page's switches and widgets, the runs table's columns and config
diff, ablation variants, which strategies a dataset cannot use, the model's layers and the fit's callbacks.

Adding a strategy:

1. ``evalcore/training/strategies/<name>.py``: a frozen ``StrategySettings`` subclass whose fields use
   ``setting(default, name, label=..., key=..., widget=..., cli=...)``, and a ``Strategy`` subclass (its texts,
   ``check``, ``unavailable``, Keras hooks ``input_layers``/``image_base``/``kernel_regularizer``/
   ``after_hidden``/``callbacks`` with ``keras`` passed in, never imported), ending with
   ``STRATEGY = register(...)``. Its ``order`` is its place on the page, in the CLI, the runs table and the ablation study); the package
   imports every module in this folder, so there is no list to edit;
2. ``tests/training/test_<name>.py``; the contract test in ``tests/training/test_strategies.py`` covers it
   automatically.

Example:
    >>> names()[:3], get("dropout").label
    (('augmentation', 'l2', 'dropout'), 'Dropout')
"""

from __future__ import annotations

import importlib
import pkgutil

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
    setting_named,
    unregister,
)



def _discover() -> None:
    """Import every strategy module of this package: each registers itself (``STRATEGY = register(...)``)."""
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")


_discover()

__all__ = ["Problems", "Setting", "Strategy", "StrategySettings", "cli_flag", "enabled_in", "get", "meta", "names", "register",
           "registry", "setting", "setting_named", "unregister"]
