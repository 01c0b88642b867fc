"""Transfer learning: a pretrained convolutional base, frozen, under the seed's head; optionally fine-tune its top
layers (images only).

Example:
    >>> STRATEGY.short(Transfer(enabled=True, fine_tune_layers=2))
    'transfer (mnist04, fine-tune 2)'
    >>> STRATEGY.cell({"enabled": True, "base": "mnist04", "fine_tune_layers": 2})
    'mnist04 ft2'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalcore.errors import input_error
from evalcore.training.bases import bases
from evalcore.training.strategies.augmentation import NEEDS_IMAGES
from evalcore.training.strategies.base import Problems, Strategy, StrategySettings, register, setting, shown

if TYPE_CHECKING:
    from evalcore.training.config import TrainConfig


def _available() -> dict[str, str]:
    return {k: b.title for k, b in bases().items() if b.available}


def _notes(chosen: str) -> list[str]:
    """Why the chosen base is offered, then why each other one is not."""
    every = bases()
    return [every[chosen].reason] + [f"{b.title}: {b.reason}" for b in every.values() if not b.available]


@dataclass(frozen=True)
class Transfer(StrategySettings):
    """A pretrained convolutional base, frozen, under the seed's head; optionally fine-tune its top layers."""

    base: str = setting("mnist04", "pretrained base", label="Pretrained base", key="tl_base", widget="select",
                        choices=_available, notes=_notes, wide=True)
    fine_tune_layers: int = setting(0, "fine-tune layers", label="Fine-tune the top layers (0 = all frozen)",
                                    key="tl_tune", widget="number", low=0, high=20, wide=True, cli="--fine-tune",
                                    cli_help="fine-tune this many top layers of the base")


class TransferStrategy(Strategy):
    name = "transfer"
    order = 50
    noun = "transfer"
    label = "Transfer learning"
    help = ("Starts from a convolutional base pretrained on another task, frozen, with a new head. Helps most when "
            "the training set is small.")
    key = "tl_on"
    settings = Transfer
    cli = "--transfer"
    cli_value = "base"
    cli_help = "pretrained base"

    def short(self, s: Transfer) -> str:
        return f"transfer ({s.base}" + (f", fine-tune {s.fine_tune_layers}" if s.fine_tune_layers else "") + ")"

    def cell(self, stored):
        tune = stored.get("fine_tune_layers")
        return str(stored.get("base", "")) + (f" ft{shown(tune)}" if tune else "")

    def check(self, s: Transfer, problems: Problems) -> None:
        problems.need(isinstance(s.base, str) and len(s.base) <= 100, "pretrained base", s.base,
                      "use a base's name")
        problems.need(isinstance(s.fine_tune_layers, int) and s.fine_tune_layers >= 0, "fine-tune layers",
                      s.fine_tune_layers, "use a whole number, 0 or more")

    def unavailable(self, dataset: str, kind: str) -> str | None:
        if kind == "tabular":
            return f"Transfer learning {NEEDS_IMAGES}."
        if dataset == "mnist":
            return ("Transfer learning is off for this set: the shipped base was pretrained on its digits 0-4, "
                    "which include this set's test images. Use 'MNIST digits 5-9' or 'Digits'.")
        return None

    def ready(self, s: Transfer) -> None:
        base = bases().get(s.base)
        if base is None or not base.available:
            raise input_error("an available pretrained base", f"'{s.base}'",
                              base.reason if base else "pick one from the list")

    def image_base(self, s: Transfer, config: TrainConfig, keras: Any, x: Any) -> Any:
        """The chosen pretrained base applied to x, frozen except its top ``fine_tune_layers`` weighted layers."""
        info = bases().get(s.base)
        if info is None or not info.available:
            raise input_error("an available pretrained base", f"'{s.base}'",
                              info.reason if info else "pick one from the list")
        if info.name == "mnist04":
            base = keras.models.load_model(info.path)
        else:
            x = keras.layers.Resizing(32, 32)(x)
            x = keras.layers.Concatenate()([x, x, x])  # grey to RGB
            app = {"vgg16": keras.applications.VGG16, "mobilenetv2": keras.applications.MobileNetV2}[info.name]
            base = app(include_top=False, weights=str(info.path), input_shape=(32, 32, 3))
        weighted = [layer for layer in base.layers if layer.weights]
        n_tune = min(s.fine_tune_layers, len(weighted))
        base.trainable = n_tune > 0
        for layer in weighted[: len(weighted) - n_tune]:
            layer.trainable = False
        return base(x, training=False)  # batch-norm statistics stay as pretrained


STRATEGY = register(TransferStrategy())
