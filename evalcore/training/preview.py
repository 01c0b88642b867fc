"""Augmented examples of a dataset, as the model's augmentation layers produce them in training.

``python -m evalcore.training.preview CONFIG_JSON OUT_NPZ`` writes ``images`` shaped
(examples, 1 + variants, 28, 28, 1): each row an original training image, then its augmented variants. It runs
in its own process because it needs Keras, which the Streamlit server never imports.
"""

from __future__ import annotations

import sys

import numpy as np

from evalcore.training import datasets
from evalcore.training.config import TrainConfig

EXAMPLES = 6
VARIANTS = 7


def augmented_examples(config: TrainConfig, examples: int = EXAMPLES, variants: int = VARIANTS) -> np.ndarray:
    import keras

    from evalcore.training.model import augmentation_layers
    data = datasets.load(config.dataset, validation_fraction=config.validation_fraction)
    originals = data.x_train[:examples]
    layers = augmentation_layers(config, config.seed)
    rows = [originals]
    for v in range(variants):
        x = originals
        for layer in layers:
            x = layer(x, training=True)
        rows.append(keras.ops.convert_to_numpy(x))
    return np.stack(rows, axis=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m evalcore.training.preview CONFIG_JSON OUT_NPZ", file=sys.stderr)
        return 2
    config = TrainConfig.from_json(argv[0])
    np.savez_compressed(argv[1], images=augmented_examples(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
