# quizdl drill: softmax-ce
# expect: no-max-subtraction, log-of-softmax
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    return np.log(softmax(x, axis=axis))


def cross_entropy(logits, targets):
    return -np.mean(log_softmax(logits, axis=1)[np.arange(logits.shape[0]), targets])


def cross_entropy_grad(logits, targets):
    n = logits.shape[0]
    p = softmax(logits, axis=1)
    p[np.arange(n), targets] -= 1
    return p / n
