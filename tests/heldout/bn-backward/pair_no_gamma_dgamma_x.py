# quizdl drill: bn-backward
# expect: dx-missing-gamma, dgamma-uses-x
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (x, xhat, inv_std)


def batchnorm_backward(dout, cache):
    x, xhat, inv_std = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x).sum(axis=0)
    dx = inv_std * (dout - dout.mean(axis=0) - xhat * (dout * xhat).mean(axis=0))
    return dx, dgamma, dbeta
