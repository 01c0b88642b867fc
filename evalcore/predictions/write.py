"""Write predictions in the format the reader reads: y_true, y_pred, score or prob_<class>, then other columns.

What the worker writes for a run's test set (:func:`predictions_frame`) and what the samples are made of
(:func:`prediction_table`) read back to the same labels, predictions and probabilities.

Example:
    >>> import numpy as np
    >>> predictions_frame(("cat", "dog"), np.array([1, 0]), np.array([[0.2, 0.8], [0.6, 0.4]])).to_dict("list")
    {'y_true': ['dog', 'cat'], 'y_pred': ['dog', 'cat'], 'prob_cat': [0.2, 0.6], 'prob_dog': [0.8, 0.4]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from evalcore.predictions.columns import SCORE, Y_PRED, Y_TRUE, probability_column

DECIMALS = 6  # scores and probabilities are written rounded to this many decimals


def prediction_table(y_true, *, y_pred=None, score=None, probabilities: Mapping[str, np.ndarray] | None = None,
                     other: Mapping[str, object] | None = None) -> pd.DataFrame:
    """A predictions table: the true labels, then the predictions, a score or one probability column per class
    (rounded to :data:`DECIMALS`), then ``other`` columns kept for slicing.

    >>> prediction_table(["a", "b"], score=np.array([0.25, 0.5]), other={"group": ["x", "y"]}).columns.tolist()
    ['y_true', 'score', 'group']
    """
    columns: dict[str, object] = {Y_TRUE: y_true}
    if y_pred is not None:
        columns[Y_PRED] = y_pred
    if score is not None:
        columns[SCORE] = np.asarray(score).round(DECIMALS)
    for label, values in (probabilities or {}).items():
        columns[probability_column(str(label))] = np.asarray(values).round(DECIMALS)
    columns.update(other or {})
    return pd.DataFrame(columns)


def predictions_frame(classes: tuple[str, ...], y_true: np.ndarray, proba: np.ndarray) -> pd.DataFrame:
    """A classifier's test-set predictions: true labels and probabilities as class codes and one column per
    class; the prediction is the most probable class."""
    names = np.asarray(classes)
    return prediction_table(names[y_true], y_pred=names[proba.argmax(1)],
                            probabilities={c: proba[:, i] for i, c in enumerate(classes)})


def write_predictions(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a predictions table as CSV (the format :func:`evalcore.predictions.read_predictions` reads)."""
    frame.to_csv(path, index=False)
