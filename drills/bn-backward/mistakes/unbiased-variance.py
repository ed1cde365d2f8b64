"""Known mistake: the forward pass normalises with the unbiased variance (N - 1)."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)  # wrong: unbiased (divides by N - 1)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (x - mean, gamma, inv_std, n)


def batchnorm_backward(dout, cache):
    xc, gamma, inv_std, n = cache
    xhat = xc * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dvar = (dxhat * xc).sum(axis=0) * -0.5 * inv_std**3
    dmean = -(dxhat * inv_std).sum(axis=0)
    dx = dxhat * inv_std + dvar * 2.0 * xc / (n - 1) + dmean / n
    return dx, dgamma, dbeta
