"""Reference: shift by the max, log-sum-exp, mean over the batch; results in the input's dtype."""

import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    n = logits.shape[0]
    picked = log_softmax(logits, axis=1)[np.arange(n), targets]
    return -np.mean(picked)  # a NumPy scalar of the logits' dtype


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    grad = softmax(logits, axis=1)  # a new array: the caller's logits stay untouched
    grad[np.arange(n), targets] -= 1
    return grad / n
