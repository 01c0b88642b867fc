"""Settings that are valid but will not do what the user expects, said before anything starts.

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
from evalcore.training.datasets import DATASETS
from evalcore.training.schedules import planned_rates


@dataclass(frozen=True)
class ConfigWarning:
    setting: str   # what the fix changes: 'schedule' or 'horizontal_flip'
    message: str


def schedule_warning(config: TrainConfig) -> ConfigWarning | None:
    """The schedule is on but cannot change the learning rate within ``config.epochs`` epochs."""
    s = config.schedule
    if not s.enabled:
        return None
    if s.kind == "plateau":
        if config.epochs > s.plateau_patience:
            return None
        return ConfigWarning("schedule", f"Reduce-on-plateau waits {s.plateau_patience} epoch(s) without progress "
                                         f"before it acts, so in {config.epochs} epoch(s) it never can. Fix: train "
                                         f"for more epochs or lower the patience.")
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
    return ConfigWarning("schedule", f"The {s.kind} learning-rate schedule {why}, so it never acts: the run "
                                     f"is the same as without it. Fix: {fix}.")


def flip_warning(config: TrainConfig) -> ConfigWarning | None:
    """A horizontal flip on a dataset whose classes change under a mirror image."""
    a = config.augmentation
    info = DATASETS.get(config.dataset)
    if not (a.enabled and a.horizontal_flip and info is not None and info.mirror_changes_class):
        return None
    return ConfigWarning("horizontal_flip",
                         f"Horizontal flips do not suit {info.title}: a mirrored 2, 3, 7 or 9 is not that digit "
                         "any more, so flipped images teach the model wrong labels. Fix: switch off the "
                         "horizontal flip; keep rotation, shifts, shear and zoom.")


def config_warnings(config: TrainConfig) -> list[ConfigWarning]:
    """Every warning for these settings, in the order of the settings."""
    return [w for w in (flip_warning(config), schedule_warning(config)) if w is not None]
