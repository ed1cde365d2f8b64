# quizdl drill: prf1
"""Alternative: the confusion matrix from np.bincount, every count read off it, F1 as
2PR/(P + R), errstate + nan_to_num for the zero divisions."""

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def _safe(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(a / b, nan=0.0)


def precision_recall_f1(y_true, y_pred, average="binary"):
    size = int(max(y_true.max(), y_pred.max())) + 1
    cm = confusion_matrix(y_true, y_pred, max(size, 2)).astype(float)
    tp = np.diag(cm)
    col = cm.sum(axis=0)
    row = cm.sum(axis=1)
    keep = [1] if average == "binary" else np.flatnonzero((col + row) > 0)
    tp, col, row = tp[keep], col[keep], row[keep]
    if average == "micro":
        p = _safe(tp.sum(), col.sum())
        r = _safe(tp.sum(), row.sum())
        return float(p), float(r), float(_safe(2 * p * r, p + r))
    p = _safe(tp, col)
    r = _safe(tp, row)
    f = _safe(2 * p * r, p + r)
    if average == "weighted":
        return tuple(float(np.average(v, weights=row)) for v in (p, r, f))
    return float(p.mean()), float(r.mean()), float(f.mean())
