# quizdl drill: softmax-ce
"""A correct solution written differently: logaddexp.reduce for log-sum-exp, moveaxis, eye for one-hot."""

import numpy as np


def log_softmax(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    lse = np.logaddexp.reduce(moved, axis=-1, keepdims=True)
    return np.moveaxis(moved - lse, -1, axis)


def softmax(x, axis=-1):
    return np.exp(log_softmax(x, axis))


def cross_entropy(logits, targets):
    picked = np.take_along_axis(log_softmax(logits, axis=1), targets[:, None], axis=1)
    return -picked.sum() / len(targets)


def cross_entropy_grad(logits, targets):
    onehot = np.eye(logits.shape[1], dtype=logits.dtype)[targets]
    return (softmax(logits, axis=1) - onehot) / logits.shape[0]
