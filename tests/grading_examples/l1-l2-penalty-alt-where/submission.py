# quizdl drill: l1-l2-penalty
"""A correct solution written differently: the L1 subgradient with np.where / np.copysign, the
L2 value as a dot product of the flattened weights, the elastic net written out in one formula."""

import numpy as np


def l1_penalty(w, lam):
    subgrad = np.where(w == 0, np.zeros_like(w), np.copysign(np.ones_like(w), w))
    return lam * np.abs(w).sum(), lam * subgrad


def l2_penalty(w, lam):
    flat = w.ravel()
    return lam * np.dot(flat, flat), (2.0 * lam) * w


def elastic_net(w, lam, l1_ratio):
    r = l1_ratio
    value = lam * (r * np.abs(w).sum() + (1.0 - r) * (w ** 2).sum())
    grad = lam * (r * np.sign(w) + 2.0 * (1.0 - r) * w)
    return value, grad
