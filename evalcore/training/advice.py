"""Settings that are valid but will not do what the user expects, said before anything starts.

Each switched-on strategy says its own (:meth:`Strategy.warnings`), for example:

- a learning-rate schedule that never changes the rate within the run's epochs (the seed schedule holds the
  rate for 10 epochs; a 5-epoch run never reaches its decay), or a plateau patience that cannot be reached;
- an augmentation that does not suit the data (a horizontal flip turns digits into other shapes).

Each warning says what will happen and the fix; ``setting`` names what the fix changes, so a page can offer it.

Example:
    >>> from evalcore.training.config import Schedule, TrainConfig
    >>> [w.setting for w in config_warnings(TrainConfig(epochs=5, schedule=Schedule(enabled=True)))]
    ['schedule']
"""

from __future__ import annotations

from dataclasses import dataclass

from evalcore.training.config import TrainConfig


@dataclass(frozen=True)
class ConfigWarning:
    setting: str   # what the fix changes: 'schedule' or 'horizontal_flip'
    message: str


def config_warnings(config: TrainConfig) -> list[ConfigWarning]:
    """Every warning for these settings, in the order of the strategies."""
    return [ConfigWarning(setting, message) for strategy, settings in config.enabled()
            for setting, message in strategy.warnings(settings, config)]
