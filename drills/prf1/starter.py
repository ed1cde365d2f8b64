# quizdl drill: prf1
"""Confusion matrix, precision, recall and F1 (binary / macro / micro / weighted), NumPy only
(torch and sklearn are blocked).

Grade with: quizdl grade prf1.py
"""

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Integer array (num_classes, num_classes): entry [i, j] counts true class i predicted as j."""
    raise NotImplementedError


def precision_recall_f1(y_true: np.ndarray, y_pred: np.ndarray, average: str = "binary"):
    """(precision, recall, f1) as floats, scikit-learn's definitions with zero_division=0.

    average: "binary" (label 1), "macro", "micro" or "weighted" (over the labels present in
    y_true or y_pred; weighted by support). A ratio with denominator 0 counts as 0. The inputs
    are not modified.
    """
    raise NotImplementedError
