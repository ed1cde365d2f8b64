# quizdl drill: bn-backward
# expect: missing-mean-path
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    xc = x - mean
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    xhat = xc / std
    return gamma * xhat + beta, (xc, std, xhat, gamma)


def batchnorm_backward(dout, cache):
    xc, std, xhat, gamma = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 / std ** 3
    dx = dxhat / std + dvar * 2 * xc / n
    return dx, dgamma, dbeta
