# quizdl drill: regression-losses
"""Alternative: boolean masks instead of np.where, Huber written as delta * smooth L1, the mean
as sum / size, the L1 subgradient from comparisons."""

import numpy as np


def _reduced(values, reduction):
    if reduction == "none":
        return values
    total = values.sum()
    return total / values.size if reduction == "mean" else total


def _scaled(grad, reduction):
    return grad / grad.size if reduction == "mean" else grad


def l1_loss(pred, target, reduction="mean"):
    return _reduced(abs(pred - target), reduction)


def l1_loss_grad(pred, target, reduction="mean"):
    r = pred - target
    g = (r > 0).astype(r.dtype) - (r < 0).astype(r.dtype)
    return _scaled(g, reduction)


def mse_loss(pred, target, reduction="mean"):
    return _reduced((pred - target) ** 2, reduction)


def mse_loss_grad(pred, target, reduction="mean"):
    return _scaled((pred - target) * 2, reduction)


def smooth_l1_loss(pred, target, reduction="mean", beta=1.0):
    r = pred - target
    a = abs(r)
    out = a - beta / 2
    if beta > 0:
        small = a < beta
        out[small] = (r[small] ** 2) / (2 * beta)
    return _reduced(out, reduction)


def smooth_l1_loss_grad(pred, target, reduction="mean", beta=1.0):
    r = pred - target
    g = np.sign(r)
    if beta > 0:
        small = abs(r) < beta
        g[small] = r[small] / beta
    return _scaled(g, reduction)


def huber_loss(pred, target, reduction="mean", delta=1.0):
    return _reduced(delta * smooth_l1_loss(pred, target, "none", beta=delta), reduction)


def huber_loss_grad(pred, target, reduction="mean", delta=1.0):
    return _scaled(delta * smooth_l1_loss_grad(pred, target, "none", beta=delta), reduction)
