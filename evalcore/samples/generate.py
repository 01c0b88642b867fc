"""Write the sample prediction files: held-out predictions of real models (reproducible, seed 0)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from evalcore.predictions import prediction_table, write_predictions
from evalcore.samples import HERE


def main() -> None:
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)).fit(x_tr, y_tr)
    names = np.array(["malignant", "benign"])
    proba = model.predict_proba(x_te)[:, 0]  # score of 'malignant', the class a screening tool looks for
    band = pd.cut(x_te[:, 0], [0, 12, 15, 40], labels=["small", "medium", "large"])
    write_predictions(prediction_table(names[y_te], y_pred=names[model.predict(x_te)], score=proba,
                                       other={"mean_radius_band": band}), HERE / "breast_cancer.csv")

    data = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=2000)).fit(x_tr, y_tr)
    proba = model.predict_proba(x_te)
    ink = np.where(x_te.sum(axis=1) > np.median(x_te.sum(axis=1)), "heavy", "light")
    write_predictions(prediction_table(y_te, probabilities={str(k): proba[:, k] for k in range(10)},
                                       other={"ink": ink}), HERE / "digits.csv")

    data = load_diabetes()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.5, random_state=0)
    model = Ridge(alpha=0.5).fit(x_tr, y_tr)
    sex = np.where(x_te[:, 1] > 0, "group A", "group B")
    write_predictions(prediction_table(y_te, y_pred=model.predict(x_te).round(3), other={"sex": sex}),
                      HERE / "diabetes.csv")


if __name__ == "__main__":
    main()
