"""Known mistake: the batch mean and variance are treated as constants in the backward pass."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    # Wrong: mean and var are treated as constants, so only the direct path reaches x.
    dx = dout * gamma * inv_std
    return dx, dgamma, dbeta
