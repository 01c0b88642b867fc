"""Sample prediction files from real models on scikit-learn's bundled datasets.

Regenerate with ``python -m evalcore.samples.generate`` (needs scikit-learn).

Example:
    >>> sorted(SAMPLES)
    ['Breast cancer (binary, logistic regression)', 'Diabetes (regression, ridge)', 'Digits (10 classes, logistic regression)']
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SAMPLES = {
    "Breast cancer (binary, logistic regression)": HERE / "breast_cancer.csv",
    "Digits (10 classes, logistic regression)": HERE / "digits.csv",
    "Diabetes (regression, ridge)": HERE / "diabetes.csv",
}
