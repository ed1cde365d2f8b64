# quizdl drill: softmax-ce
# expect: pass
import numpy as np


def _softmax_last(z):
    z = z - z.max(axis=-1, keepdims=True)
    ez = np.exp(z)
    return ez / ez.sum(axis=-1, keepdims=True)


def softmax(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    return np.moveaxis(_softmax_last(moved), -1, axis)


def log_softmax(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    z = moved - moved.max(axis=-1, keepdims=True)
    out = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return np.moveaxis(out, -1, axis)


def cross_entropy(logits, targets):
    rows = np.arange(len(targets))
    return -log_softmax(logits)[rows, targets].mean()


def cross_entropy_grad(logits, targets):
    g = softmax(logits)
    g[np.arange(len(targets)), targets] -= 1.0
    return g / len(targets)
