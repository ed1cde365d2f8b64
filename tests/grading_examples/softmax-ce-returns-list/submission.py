# quizdl drill: softmax-ce
# cross_entropy_grad returns nested Python lists (tolist()), not a numpy array.
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    return float(-np.mean(log_softmax(logits, 1)[np.arange(len(targets)), targets]))


def cross_entropy_grad(logits, targets):
    g = softmax(logits, 1)
    g[np.arange(len(targets)), targets] -= 1
    return (g / len(targets)).tolist()
