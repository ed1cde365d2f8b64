# quizdl drill: bn-backward
# expect: variance-factor-2-dropped
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    xc = x - mean
    var = (xc ** 2).mean(axis=0)
    out = gamma * xc / np.sqrt(var + eps) + beta
    return out, (xc, var, gamma, eps)


def batchnorm_backward(dout, cache):
    xc, var, gamma, eps = cache
    n = dout.shape[0]
    std = np.sqrt(var + eps)
    xhat = xc / std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmean = -np.sum(dxhat / std, axis=0)
    dx = dxhat / std + dvar * xc / n + dmean / n
    return dx, dgamma, dbeta
