# quizdl drill: softmax-ce
# expect: pass
import numpy as np


def log_softmax(x, axis=-1):
    return x - np.logaddexp.reduce(x, axis=axis, keepdims=True)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(logits, targets):
    picked = log_softmax(logits, axis=-1)[np.arange(logits.shape[0]), targets]
    return np.mean(-picked)


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    grad = softmax(logits, axis=-1) / n
    np.subtract.at(grad, (np.arange(n), targets), logits.dtype.type(1.0 / n))
    return grad
