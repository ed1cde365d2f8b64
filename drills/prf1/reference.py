"""Reference: confusion matrix rows = true class, columns = predicted class; precision, recall and
F1 per label from its counts (0 where a denominator is 0), averaged like scikit-learn over the
labels present in y_true or y_pred."""

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)  # unbuffered: repeated (true, pred) pairs all count
    return cm


def _ratio(num, den):
    """num / den, 0 where den == 0 (zero_division=0)."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def precision_recall_f1(y_true, y_pred, average="binary"):
    if average == "binary":
        labels = np.array([1])  # the positive class
    elif average in ("macro", "micro", "weighted"):
        labels = np.union1d(y_true, y_pred)  # every label present in y_true or y_pred
    else:
        raise ValueError(f"average must be 'binary', 'macro', 'micro' or 'weighted', not {average!r}")
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels])
    predicted = np.array([np.sum(y_pred == c) for c in labels])
    support = np.array([np.sum(y_true == c) for c in labels])
    if average == "micro":  # pool the counts over all labels first
        tp, predicted, support = tp.sum(keepdims=True), predicted.sum(keepdims=True), support.sum(keepdims=True)
    precision = _ratio(tp, predicted)
    recall = _ratio(tp, support)
    f1 = _ratio(2 * tp, predicted + support)  # = 2PR / (P + R), 0 when tp == 0
    if average == "weighted":
        weights = support
        w = weights / weights.sum()
        return float(np.sum(precision * w)), float(np.sum(recall * w)), float(np.sum(f1 * w))
    p, r = float(np.mean(precision)), float(np.mean(recall))
    f = float(np.mean(f1))
    return p, r, f
