"""Reference: BCE on probabilities with each log clamped at -100 (like torch), BCE with logits in
the stable softplus form, the pos_weight on the positive term only, means over all elements."""

import numpy as np


def binary_cross_entropy(p, y):
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped right below
        log_p = np.log(p)
        log_1mp = np.log1p(-p)
    log_p = np.maximum(log_p, -100)
    log_1mp = np.maximum(log_1mp, -100)
    losses = -(y * log_p + (1 - y) * log_1mp)
    return np.mean(losses)


def _pos_weight(z, pos_weight):
    if pos_weight is None:
        return np.ones((), dtype=z.dtype)
    return np.asarray(pos_weight, dtype=z.dtype)


def _softplus_terms(z):
    """(-log sigmoid(z), -log(1 - sigmoid(z))), finite for any finite z."""
    tail = np.log1p(np.exp(-np.abs(z)))
    sp_neg = np.maximum(-z, 0) + tail
    sp_pos = np.maximum(z, 0) + tail
    return sp_neg, sp_pos


def bce_with_logits(z, y, pos_weight=None):
    pw = _pos_weight(z, pos_weight)
    sp_neg, sp_pos = _softplus_terms(z)
    pos_term = pw * y * sp_neg
    neg_term = (1 - y) * sp_pos
    return np.mean(pos_term + neg_term)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_with_logits_grad(z, y, pos_weight=None):
    pw = _pos_weight(z, pos_weight)
    s = _sigmoid(z)
    pos_coef = pw * y
    neg_coef = 1 - y
    grad = (pos_coef + neg_coef) * s - pos_coef
    return grad / z.size
