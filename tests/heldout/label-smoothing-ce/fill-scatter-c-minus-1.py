# quizdl drill: label-smoothing-ce
# expect: smoothing-over-c-minus-1
import numpy as np


def _logp(z):
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def _dist(z, targets, eps, ignore_index):
    n, c = z.shape
    true = np.full_like(z, eps / (c - 1))
    mask = targets != ignore_index
    t = np.where(mask, targets, 0)
    true[np.arange(n), t] = 1 - eps
    true[~mask] = 0
    return true, mask


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    q, mask = _dist(logits, targets, label_smoothing, ignore_index)
    return -(q * _logp(logits)).sum() / mask.sum().astype(logits.dtype)


def cross_entropy_grad(logits, targets, label_smoothing=0.0, ignore_index=-100):
    q, mask = _dist(logits, targets, label_smoothing, ignore_index)
    g = (np.exp(_logp(logits)) - q) * mask[:, None]
    return g / max(int(mask.sum()), 1)
