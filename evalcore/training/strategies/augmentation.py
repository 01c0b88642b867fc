"""Data augmentation: Keras preprocessing layers inside the model, active only while training (images only).

Example:
    >>> s = Augmentation(enabled=True)
    >>> STRATEGY.short(s), STRATEGY.cell({"enabled": True, "rotation_degrees": 20.0, "zoom": 0.2})
    ('augmentation', 'rot 20°, zoom 0.2')
    >>> STRATEGY.unavailable("wine", "tabular")
    'Augmentation needs images; this is a tabular dataset trained with a dense network.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalcore.training.strategies.base import Problems, Strategy, StrategySettings, number, register, setting, shown

if TYPE_CHECKING:
    from evalcore.training.config import TrainConfig

FILL_MODES = ("nearest", "reflect", "wrap", "constant")
NEEDS_IMAGES = "needs images; this is a tabular dataset trained with a dense network"
_FRACTION = dict(widget="slider", low=0.0, high=0.9, step=0.05)


@dataclass(frozen=True)
class Augmentation(StrategySettings):
    """Keras preprocessing layers inside the model (active only while training)."""

    rotation_degrees: float = setting(20.0, "rotation", label="Rotation (degrees)", key="aug_rot",
                                      widget="slider", low=0, high=90)
    width_shift: float = setting(0.2, "width shift", label="Width shift", key="aug_w", **_FRACTION)
    height_shift: float = setting(0.2, "height shift", label="Height shift", key="aug_h", **_FRACTION)
    shear: float = setting(0.2, "shear", label="Shear", key="aug_shear", **_FRACTION)
    zoom: float = setting(0.2, "zoom", label="Zoom", key="aug_zoom", **_FRACTION)
    horizontal_flip: bool = setting(True, "horizontal flip", label="Horizontal flip", key="aug_flip",
                                    widget="checkbox", wide=True, fix_key="fix_flip", cli="--no-flip",
                                    cli_help="augmentation without the horizontal flip (for digits)")
    fill_mode: str = setting("nearest", "fill mode", label="Fill", key="aug_fill", widget="select",
                             options=FILL_MODES)


class AugmentationStrategy(Strategy):
    name = "augmentation"
    order = 10
    noun = "augmentation"
    label = "Data augmentation"
    help = ("Random rotations, shifts, shear, zoom and flips of the training images (inside the model, "
            "training only). Helps when there are few images.")
    key = "aug_on"
    settings = Augmentation
    cli = "--augment"
    cli_help = "data augmentation with the default settings"
    form = ("rotation_degrees", "zoom", "width_shift", "height_shift", "shear", "fill_mode", "horizontal_flip")

    def cell(self, stored):
        return f"rot {shown(stored.get('rotation_degrees', 0))}°, zoom {shown(stored.get('zoom', 0))}"

    def check(self, s: Augmentation, problems: Problems) -> None:
        problems.need(number(s.rotation_degrees) and 0 <= s.rotation_degrees <= 180, "rotation", s.rotation_degrees,
                      "use degrees from 0 to 180")
        for name, value in (("width shift", s.width_shift), ("height shift", s.height_shift),
                            ("shear", s.shear), ("zoom", s.zoom)):
            problems.need(number(value) and 0 <= value < 1, name, value, "use a fraction from 0 to 0.99")
        problems.need(s.fill_mode in FILL_MODES, "fill mode", s.fill_mode, f"use one of {', '.join(FILL_MODES)}")

    def unavailable(self, dataset: str, kind: str) -> str | None:
        return f"Augmentation {NEEDS_IMAGES}." if kind == "tabular" else None

    def warnings(self, s: Augmentation, config: TrainConfig) -> list[tuple[str, str]]:
        """A horizontal flip on a dataset whose classes change under a mirror image."""
        from evalcore.training.datasets import DATASETS
        info = DATASETS.get(config.dataset)
        if not (s.horizontal_flip and info is not None and info.mirror_changes_class):
            return []
        return [("horizontal_flip",
                 f"Horizontal flips do not suit {info.title}: a mirrored 2, 3, 7 or 9 is not that digit any more, "
                 "so flipped images teach the model wrong labels. Fix: switch off the horizontal flip; keep "
                 "rotation, shifts, shear and zoom.")]

    def input_layers(self, s: Augmentation, config: TrainConfig, keras: Any) -> list[Any]:
        return self.layers(s, config.seed, keras)

    def layers(self, s: Augmentation, seed: int, keras: Any) -> list[Any]:
        """Random transformations, active only in training (Keras preprocessing layers)."""
        layers, fill = keras.layers, s.fill_mode
        out: list[Any] = []
        if s.rotation_degrees:
            out.append(layers.RandomRotation(s.rotation_degrees / 360.0, fill_mode=fill, seed=seed))
        if s.width_shift or s.height_shift:
            out.append(layers.RandomTranslation(s.height_shift, s.width_shift, fill_mode=fill, seed=seed + 1))
        if s.shear:
            out.append(layers.RandomShear(x_factor=s.shear, y_factor=s.shear, fill_mode=fill, seed=seed + 2))
        if s.zoom:
            out.append(layers.RandomZoom(s.zoom, fill_mode=fill, seed=seed + 3))
        if s.horizontal_flip:
            out.append(layers.RandomFlip("horizontal", seed=seed + 4))
        return out


STRATEGY = register(AugmentationStrategy())
