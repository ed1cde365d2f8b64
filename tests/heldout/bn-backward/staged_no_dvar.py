# quizdl drill: bn-backward
# expect: missing-variance-path
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    N = x.shape[0]
    mu = x.sum(axis=0) / N
    xmu = x - mu
    var = (xmu ** 2).sum(axis=0) / N
    ivar = 1.0 / np.sqrt(var + eps)
    xhat = xmu * ivar
    return gamma * xhat + beta, (xhat, xmu, ivar, gamma)


def batchnorm_backward(dout, cache):
    xhat, xmu, ivar, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dxmu = dxhat * ivar
    dmu = -dxmu.sum(axis=0)
    dx = dxmu + dmu / N
    return dx, dgamma, dbeta
