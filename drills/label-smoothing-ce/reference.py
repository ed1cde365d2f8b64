"""Reference: mean cross-entropy of (N, C) logits against class indices, with label smoothing as
in torch.nn.functional.cross_entropy (the target distribution is (1 - eps) * one_hot + eps / C,
over all C classes, the target included) and ignore_index (those rows count neither in the sum
nor in the mean); its gradient with respect to the logits. Every target ignored: the loss is
NaN (0 / 0, like torch) and the gradient is 0."""

import numpy as np


def _log_softmax(logits):
    m = np.max(logits, axis=1, keepdims=True)
    shifted = logits - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _n_valid(valid, dtype):
    return np.asarray(np.count_nonzero(valid), dtype=dtype)


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    n, c = logits.shape
    logp = _log_softmax(logits)
    valid = targets != ignore_index
    safe = np.where(valid, targets, 0)
    nll = -logp[np.arange(n), safe]
    smooth = -np.mean(logp, axis=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * smooth
    total = np.sum(np.where(valid, per_row, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / _n_valid(valid, logits.dtype)


def cross_entropy_grad(logits, targets, label_smoothing=0.0, ignore_index=-100):
    n, c = logits.shape
    probs = np.exp(_log_softmax(logits))
    valid = targets != ignore_index
    safe = np.where(valid, targets, 0)
    onehot = np.eye(c, dtype=logits.dtype)[safe]
    q = (1.0 - label_smoothing) * onehot + label_smoothing / c
    grad = (probs - q) * valid[:, None]
    return grad / np.maximum(_n_valid(valid, logits.dtype), 1)
