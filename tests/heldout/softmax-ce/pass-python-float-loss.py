# quizdl drill: softmax-ce
# expect: pass
import numpy as np


def softmax(x, axis=-1):
    shifted = x - np.amax(x, axis=axis, keepdims=True)
    num = np.exp(shifted)
    den = np.sum(num, axis=axis, keepdims=True)
    return num / den


def log_softmax(x, axis=-1):
    shifted = x - np.amax(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    logp = log_softmax(logits, axis=1)
    total = 0.0
    for i, t in enumerate(targets):
        total -= float(logp[i, t])
    return total / len(targets)


def cross_entropy_grad(logits, targets):
    probs = softmax(logits, axis=1)
    target_mask = np.zeros_like(probs)
    target_mask[np.arange(probs.shape[0]), targets] = 1
    return (probs - target_mask) / probs.shape[0]
