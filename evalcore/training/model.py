"""The Keras model for a TrainConfig: [input layers] -> conv base (fresh or a strategy's) -> the seed's head, with
the switched-on strategies' contributions (their hooks get the ``keras`` module from here).

Example (builds a model; imports Keras):
    >>> from evalcore.training.config import TrainConfig, Dropout
    >>> m = build_model(TrainConfig(dropout=Dropout(enabled=True)), (28, 28, 1), 10, "image")
    >>> [l.name for l in m.layers if l.name.startswith(("dropout", "head"))]
    ['head_hidden', 'dropout', 'head_output']
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers, regularizers

from evalcore.training.config import TrainConfig
from evalcore.training.strategies import Strategy
from evalcore.training.strategies.augmentation import STRATEGY as AUGMENTATION

HIDDEN_UNITS = 64


def conv_base(l2: float | None = None, name: str = "conv_base", regularizer: Any | None = None) -> keras.Sequential:
    """Two conv blocks: the architecture of the shipped pretrained base (``regularizer`` or ``L2(l2)`` on them)."""
    reg = regularizer if regularizer is not None else regularizers.L2(l2) if l2 else None
    return keras.Sequential([
        layers.Conv2D(32, 3, activation="relu", padding="same", kernel_regularizer=reg),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu", padding="same", kernel_regularizer=reg),
        layers.MaxPooling2D(),
    ], name=name)


def augmentation_layers(config: TrainConfig, seed: int) -> list[layers.Layer]:
    """Random transformations, active only in training (the augmentation strategy's layers)."""
    return AUGMENTATION.layers(config.augmentation, seed, keras)


def _regularizer(on: list[tuple[Strategy, Any]], conv: bool) -> Any | None:
    """The first kernel regularizer a strategy switched on offers for the dense (or the conv) layers."""
    return next((r for s, settings in on if (r := s.kernel_regularizer(settings, keras, conv)) is not None), None)


def _image_trunk(config: TrainConfig, on: list[tuple[Strategy, Any]], x):
    """[the strategies' input layers] -> a strategy's image base, or the fresh conv base -> Flatten."""
    for s, settings in on:
        for layer in s.input_layers(settings, config, keras):
            x = layer(x)
    for s, settings in on:
        replaced = s.image_base(settings, config, keras, x)
        if replaced is not None:
            return layers.Flatten()(replaced)
    conv = _regularizer(on, conv=True)
    return layers.Flatten()(conv_base(None, regularizer=conv)(x))


def build_model(config: TrainConfig, input_shape: tuple[int, ...], n_classes: int, kind: str,
                x_train: np.ndarray | None = None) -> keras.Model:
    """Images: [augmentation] -> conv base -> Flatten -> Dense(64, relu) -> [Dropout] -> Dense(k, softmax).
    Tabular: standardisation (fitted on x_train) -> Dense(64, relu) -> [Dropout] -> Dense(k, softmax).
    The bracketed parts, the base and the regularizers are the switched-on strategies' contributions."""
    on = config.enabled()
    reg = _regularizer(on, conv=False)
    inputs = keras.Input(shape=input_shape)
    x = inputs
    if kind == "image":
        x = _image_trunk(config, on, x)
    else:
        norm = layers.Normalization()
        if x_train is not None:
            norm.adapt(x_train)
        x = norm(x)
    x = layers.Dense(HIDDEN_UNITS, activation="relu", kernel_regularizer=reg, name="head_hidden")(x)
    for s, settings in on:
        x = s.after_hidden(settings, config, keras, x)
    outputs = layers.Dense(n_classes, activation="softmax", kernel_regularizer=reg, name="head_output")(x)
    return keras.Model(inputs, outputs, name="evalcore_model")


def optimizer(config: TrainConfig) -> keras.optimizers.Optimizer:
    cls = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop,
           "adamw": keras.optimizers.AdamW}[config.optimizer]
    return cls(learning_rate=config.learning_rate)
