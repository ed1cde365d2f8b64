# quizdl drill: bce
"""Alternative: softplus through np.logaddexp, the sigmoid through tanh, the clamp through
np.clip, torch's (1 - y) z + weight * softplus(-z) arrangement."""

import numpy as np


def binary_cross_entropy(p, y):
    with np.errstate(divide="ignore"):
        a = np.clip(np.log(p), -100, None)
        b = np.clip(np.log(1 - p), -100, None)
    return -(y * a + (1 - y) * b).sum() / p.size


def bce_with_logits(z, y, pos_weight=None):
    w = 1 if pos_weight is None else pos_weight
    log_weight = 1 + (w - 1) * y
    per_elem = (1 - y) * z + log_weight * np.logaddexp(z.dtype.type(0), -z)
    return per_elem.mean()


def bce_with_logits_grad(z, y, pos_weight=None):
    w = 1 if pos_weight is None else pos_weight
    sig = 0.5 * (1 + np.tanh(0.5 * z))
    return ((1 - y) * sig - w * y * (1 - sig)) / z.size
