"""scikit-learn-compatible metrics, plus :func:`evaluate` for a whole report with intervals.

Same names, argument names, defaults and results as scikit-learn 1.9; bad input
raises :class:`evalcore.errors.InputError` with a message that says how to fix it.

Example:
    >>> from evalcore.metrics import accuracy_score, roc_auc_score
    >>> accuracy_score([1, 0, 1], [1, 1, 1])
    0.6666666666666666
"""

from evalcore.metrics._classification import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    jaccard_score,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    zero_one_loss,
)
from evalcore.metrics._probabilistic import brier_score_loss, log_loss
from evalcore.metrics._ranking import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
    top_k_accuracy_score,
)
from evalcore.metrics.evaluation import evaluate, natural_order, prepare
from evalcore.metrics.report import EvaluationReport, Estimate
from evalcore.metrics._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

__all__ = [
    "EvaluationReport", "Estimate", "evaluate", "natural_order", "prepare",
    "accuracy_score", "auc", "average_precision_score", "balanced_accuracy_score", "brier_score_loss",
    "classification_report", "cohen_kappa_score", "confusion_matrix", "f1_score", "fbeta_score",
    "jaccard_score", "log_loss", "matthews_corrcoef", "mean_absolute_error", "mean_squared_error",
    "multilabel_confusion_matrix", "precision_recall_curve", "precision_recall_fscore_support",
    "precision_score", "r2_score", "recall_score", "roc_auc_score", "roc_curve", "root_mean_squared_error",
    "top_k_accuracy_score", "zero_one_loss",
]
