# quizdl drill: softmax-ce
# expect: onehot-float64
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    return -log_softmax(logits, axis=1)[np.arange(len(targets)), targets].mean()


def cross_entropy_grad(logits, targets):
    num_classes = logits.shape[1]
    y = np.eye(num_classes)[targets]
    return (softmax(logits, axis=1) - y) / len(targets)
