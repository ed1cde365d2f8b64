# quizdl drill: softmax-ce
# expect: no-max-subtraction
import numpy as np


def softmax(x, axis=-1):
    exps = np.exp(x)
    return exps / exps.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    return x - np.log(np.exp(x).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    n = len(targets)
    return -log_softmax(logits, axis=1)[np.arange(n), targets].mean()


def cross_entropy_grad(logits, targets):
    n = len(targets)
    p = softmax(logits, axis=1)
    p[np.arange(n), targets] -= 1
    return p / n
