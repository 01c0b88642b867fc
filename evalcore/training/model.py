"""The Keras model for a TrainConfig: [augmentation] -> conv base (fresh or pretrained) -> the seed's head.

Example (builds a model; imports Keras):
    >>> from evalcore.training.config import TrainConfig, Dropout
    >>> m = build_model(TrainConfig(dropout=Dropout(enabled=True)), (28, 28, 1), 10, "image")
    >>> [l.name for l in m.layers if l.name.startswith(("dropout", "head"))]
    ['head_hidden', 'dropout', 'head_output']
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, regularizers

from evalcore.errors import input_error
from evalcore.training.bases import bases
from evalcore.training.config import TrainConfig

HIDDEN_UNITS = 64


def conv_base(l2: float | None = None, name: str = "conv_base") -> keras.Sequential:
    """Two conv blocks: the architecture of the shipped pretrained base."""
    reg = regularizers.L2(l2) if l2 else None
    return keras.Sequential([
        layers.Conv2D(32, 3, activation="relu", padding="same", kernel_regularizer=reg),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu", padding="same", kernel_regularizer=reg),
        layers.MaxPooling2D(),
    ], name=name)


def augmentation_layers(config: TrainConfig, seed: int) -> list[layers.Layer]:
    """Random transformations, active only in training (Keras preprocessing layers)."""
    a = config.augmentation
    fill = a.fill_mode
    out: list[layers.Layer] = []
    if a.rotation_degrees:
        out.append(layers.RandomRotation(a.rotation_degrees / 360.0, fill_mode=fill, seed=seed))
    if a.width_shift or a.height_shift:
        out.append(layers.RandomTranslation(a.height_shift, a.width_shift, fill_mode=fill, seed=seed + 1))
    if a.shear:
        out.append(layers.RandomShear(x_factor=a.shear, y_factor=a.shear, fill_mode=fill, seed=seed + 2))
    if a.zoom:
        out.append(layers.RandomZoom(a.zoom, fill_mode=fill, seed=seed + 3))
    if a.horizontal_flip:
        out.append(layers.RandomFlip("horizontal", seed=seed + 4))
    return out


def _pretrained_base(config: TrainConfig, x):
    """The chosen pretrained base applied to x, frozen except its top ``fine_tune_layers`` weighted layers."""
    info = bases().get(config.transfer.base)
    if info is None or not info.available:
        raise input_error("an available pretrained base", f"'{config.transfer.base}'",
                          info.reason if info else "pick one from the list")
    if info.name == "mnist04":
        base = keras.models.load_model(info.path)
    else:
        x = layers.Resizing(32, 32)(x)
        x = layers.Concatenate()([x, x, x])  # grey to RGB
        app = {"vgg16": keras.applications.VGG16, "mobilenetv2": keras.applications.MobileNetV2}[info.name]
        base = app(include_top=False, weights=str(info.path), input_shape=(32, 32, 3))
    weighted = [layer for layer in base.layers if layer.weights]
    n_tune = min(config.transfer.fine_tune_layers, len(weighted))
    base.trainable = n_tune > 0
    for layer in weighted[: len(weighted) - n_tune]:
        layer.trainable = False
    return base(x, training=False)  # batch-norm statistics stay as pretrained


def build_model(config: TrainConfig, input_shape: tuple[int, ...], n_classes: int, kind: str,
                x_train: np.ndarray | None = None) -> keras.Model:
    """Images: [augmentation] -> conv base -> Flatten -> Dense(64, relu) -> [Dropout] -> Dense(k, softmax).
    Tabular: standardisation (fitted on x_train) -> Dense(64, relu) -> [Dropout] -> Dense(k, softmax)."""
    l2 = config.l2.factor if config.l2.enabled else None
    reg = regularizers.L2(l2) if l2 else None
    inputs = keras.Input(shape=input_shape)
    x = inputs
    if kind == "image":
        if config.augmentation.enabled:
            for layer in augmentation_layers(config, config.seed):
                x = layer(x)
        if config.transfer.enabled:
            x = _pretrained_base(config, x)
        else:
            x = conv_base(l2 if config.l2.conv else None)(x)
        x = layers.Flatten()(x)
    else:
        norm = layers.Normalization()
        if x_train is not None:
            norm.adapt(x_train)
        x = norm(x)
    x = layers.Dense(HIDDEN_UNITS, activation="relu", kernel_regularizer=reg, name="head_hidden")(x)
    if config.dropout.enabled:
        x = layers.Dropout(config.dropout.rate, seed=config.seed, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", kernel_regularizer=reg, name="head_output")(x)
    return keras.Model(inputs, outputs, name="evalcore_model")


def optimizer(config: TrainConfig) -> keras.optimizers.Optimizer:
    cls = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop,
           "adamw": keras.optimizers.AdamW}[config.optimizer]
    return cls(learning_rate=config.learning_rate)
