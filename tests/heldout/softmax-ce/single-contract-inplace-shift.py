# quizdl drill: softmax-ce
# expect: shift-in-place
import numpy as np


def softmax(x, axis=-1):
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x -= x.max(axis=axis, keepdims=True)  # stable
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    lp = log_softmax(logits, axis=1)
    return -lp[np.arange(lp.shape[0]), targets].mean()


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    g = softmax(logits, axis=1)
    g[np.arange(n), targets] -= 1
    return g / n
