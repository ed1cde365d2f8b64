"""Reference: L1, L2 and elastic-net penalties with their (sub)gradients.

R_L1 = lam * sum|w| (subgradient lam * sign(w), 0 at w = 0), R_L2 = lam * sum w^2 (gradient
2 * lam * w: no 1/2 in front), elastic net = l1_ratio * R_L1 + (1 - l1_ratio) * R_L2."""

import numpy as np


def l1_penalty(w, lam):
    w = np.asarray(w)
    value = lam * np.sum(np.abs(w))
    sign = np.sign(w)  # 0 at w = 0: the subgradient chosen there
    grad = lam * sign
    return value, grad


def l2_penalty(w, lam):
    w = np.asarray(w)
    value = lam * np.sum(w * w)
    grad = 2 * lam * w
    return value, grad


def elastic_net(w, lam, l1_ratio):
    v1, g1 = l1_penalty(w, lam)
    v2, g2 = l2_penalty(w, lam)
    a = l1_ratio  # weight of the L1 part
    b = 1.0 - l1_ratio  # weight of the L2 part
    value = a * v1 + b * v2
    grad = a * g1 + b * g2
    return value, grad
