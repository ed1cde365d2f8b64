# quizdl drill: bn-backward
# expect: param-grads-averaged, missing-variance-path
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    xc = x - mu
    std = np.sqrt((xc ** 2).mean(axis=0) + eps)
    xhat = xc / std
    return gamma * xhat + beta, (xhat, std, gamma)


def batchnorm_backward(dout, cache):
    xhat, std, gamma = cache
    dbeta = dout.mean(axis=0)
    dgamma = (dout * xhat).mean(axis=0)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(axis=0)) / std
    return dx, dgamma, dbeta
