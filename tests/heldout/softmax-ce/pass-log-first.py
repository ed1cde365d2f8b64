# quizdl drill: softmax-ce
# expect: pass
import numpy as np


def log_softmax(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    lse = m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    return x - lse


def softmax(x, axis=-1):
    return np.exp(log_softmax(x, axis=axis))


def cross_entropy(logits, targets):
    lp = log_softmax(logits, axis=1)
    return -np.take_along_axis(lp, targets[:, None], axis=1).mean()


def cross_entropy_grad(logits, targets):
    n, c = logits.shape
    onehot = np.eye(c, dtype=logits.dtype)[targets]
    return (softmax(logits, axis=1) - onehot) / n
