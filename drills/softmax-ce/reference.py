"""Reference: shift by the max, log-sum-exp, mean over the batch."""

import numpy as np


def softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    n = logits.shape[0]
    return float(-np.mean(log_softmax(logits, axis=1)[np.arange(n), targets]))


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    grad = softmax(logits, axis=1)
    grad[np.arange(n), targets] -= 1
    return grad / n
