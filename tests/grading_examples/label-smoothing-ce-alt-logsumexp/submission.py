# quizdl drill: label-smoothing-ce
"""A correct solution written differently: np.logaddexp.reduce for the log-sum-exp, the smoothed
target built explicitly (q = (1 - eps) one_hot + eps / C, rows of ignored targets zeroed), the
loss as -sum(q * log p) / n and the gradient from the same q."""

import numpy as np


def _parts(logits, targets, eps, ignore_index):
    n, c = logits.shape
    logp = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    keep = targets != ignore_index
    q = np.zeros_like(logits)
    q[keep] = eps / c
    rows = np.flatnonzero(keep)
    q[rows, targets[rows]] += 1 - eps
    return logp, q, keep, int(keep.sum())


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    logp, q, _, count = _parts(logits, targets, label_smoothing, ignore_index)
    total = -np.sum(q * logp)
    if count == 0:
        return np.array(np.nan, dtype=logits.dtype)
    return total / count


def cross_entropy_grad(logits, targets, label_smoothing=0.0, ignore_index=-100):
    logp, q, keep, count = _parts(logits, targets, label_smoothing, ignore_index)
    grad = np.where(keep[:, None], np.exp(logp) - q, 0)
    return grad / max(count, 1)
