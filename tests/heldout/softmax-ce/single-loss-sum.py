# quizdl drill: softmax-ce
# expect: loss-summed
import numpy as np


def softmax(x, axis=-1):
    ex = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return ex / np.sum(ex, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    sh = x - np.max(x, axis=axis, keepdims=True)
    return sh - np.log(np.sum(np.exp(sh), axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    nll = -log_softmax(logits, axis=1)[np.arange(logits.shape[0]), targets]
    return nll.sum()


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    g = softmax(logits, axis=1)
    g[np.arange(n), targets] -= 1
    return g / n
