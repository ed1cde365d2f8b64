# quizdl drill: softmax-ce
# expect: shift-in-place, loss-summed
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x -= np.max(x, axis=axis, keepdims=True)
    return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    return -np.sum(log_softmax(logits, axis=1)[np.arange(logits.shape[0]), targets])


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    g = softmax(logits, axis=1)
    g[np.arange(n), targets] -= 1
    return g / n
