# quizdl drill: softmax-ce
# Right numbers, broken contract twice: the logits are shifted in place (the caller's array
# changes) and the one-hot matrix is float64 (np.eye's default), so float32 gradients leak out
# as float64.
import numpy as np


def softmax(x, axis=-1):
    x -= x.max(axis=axis, keepdims=True)
    ex = np.exp(x)
    return ex / ex.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    n = len(targets)
    return -log_softmax(logits, 1)[np.arange(n), targets].sum() / n


def cross_entropy_grad(logits, targets):
    probs = softmax(logits.copy(), 1)
    onehot = np.eye(logits.shape[1])[targets]
    return (probs - onehot) / len(targets)
