"""Reference: elementwise losses of d = pred - target, reduced like torch.nn's losses
(mean over every element, sum, or none); each gradient is d loss / d pred for that reduction."""

import numpy as np


def _diff(pred, target):
    d = pred - target  # a new array: the caller's pred stays untouched
    return d


def _reduce(losses, reduction):
    if reduction == "mean":
        return np.mean(losses)
    if reduction == "sum":
        return np.sum(losses)
    if reduction == "none":
        return losses
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def _reduce_grad(grads, reduction):
    if reduction == "mean":
        n = grads.size  # every element counts, like torch's mean
        return grads / n
    if reduction in ("sum", "none"):
        return grads
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")


def l1_loss(pred, target, reduction="mean"):
    d = _diff(pred, target)
    return _reduce(np.abs(d), reduction)


def l1_loss_grad(pred, target, reduction="mean"):
    d = _diff(pred, target)
    g = np.sign(d)  # the subgradient 0 where pred == target, like torch
    return _reduce_grad(g, reduction)


def mse_loss(pred, target, reduction="mean"):
    d = _diff(pred, target)
    return _reduce(d * d, reduction)


def mse_loss_grad(pred, target, reduction="mean"):
    d = _diff(pred, target)
    g = 2 * d
    return _reduce_grad(g, reduction)


def huber_loss(pred, target, reduction="mean", delta=1.0):
    d = _diff(pred, target)
    ad = np.abs(d)
    quad = 0.5 * d * d
    lin = delta * (ad - 0.5 * delta)
    return _reduce(np.where(ad < delta, quad, lin), reduction)


def huber_loss_grad(pred, target, reduction="mean", delta=1.0):
    d = _diff(pred, target)
    ad = np.abs(d)
    inner = d
    outer = delta * np.sign(d)
    return _reduce_grad(np.where(ad < delta, inner, outer), reduction)


def smooth_l1_loss(pred, target, reduction="mean", beta=1.0):
    if beta == 0:  # torch falls back to the L1 loss
        return l1_loss(pred, target, reduction)
    d = _diff(pred, target)
    ad = np.abs(d)
    sq = 0.5 * d * d / beta
    ab = ad - 0.5 * beta
    return _reduce(np.where(ad < beta, sq, ab), reduction)


def smooth_l1_loss_grad(pred, target, reduction="mean", beta=1.0):
    if beta == 0:
        return l1_loss_grad(pred, target, reduction)
    d = _diff(pred, target)
    ad = np.abs(d)
    near = d / beta
    far = np.sign(d)
    return _reduce_grad(np.where(ad < beta, near, far), reduction)
