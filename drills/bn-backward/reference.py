"""Reference: batch mean and biased variance; the backward pass in its compact form."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # biased: divides by N
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    out = gamma * xhat + beta
    cache = (x, xhat, gamma, inv_std)  # new arrays: the caller's x stays untouched
    return out, cache


def batchnorm_backward(dout, cache):
    x, xhat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    # xhat depends on x directly and through the batch mean and variance. Collecting the three
    # paths gives the compact form:
    #   dx = inv_std / N * (N * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))
    dx = inv_std / n * (
        n * dxhat
        - dxhat.sum(axis=0)
        - xhat * (dxhat * xhat).sum(axis=0)
    )
    return dx, dgamma, dbeta
