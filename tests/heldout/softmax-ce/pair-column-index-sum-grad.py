# quizdl drill: softmax-ce
# expect: target-column-indexing, grad-not-averaged
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    logp = log_softmax(logits, axis=1)
    return -np.mean(logp[:, targets])


def cross_entropy_grad(logits, targets):
    g = softmax(logits, axis=1)
    g[np.arange(g.shape[0]), targets] -= 1
    return g
