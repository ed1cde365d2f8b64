# quizdl drill: softmax-ce
# expect: wrong-axis
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max(0, keepdims=True))
    return e / e.sum(0, keepdims=True)


def log_softmax(x, axis=-1):
    z = x - x.max(0, keepdims=True)
    return z - np.log(np.exp(z).sum(0, keepdims=True))


def cross_entropy(logits, targets):
    return -np.mean(log_softmax(logits, axis=1)[np.arange(logits.shape[0]), targets])


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    g = softmax(logits, axis=1)
    g[np.arange(n), targets] -= 1
    return g / n
