# quizdl drill: bn-backward
# expect: dx-missing-gamma
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(0)
    var = x.var(0)
    inv_std = 1 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return xhat * gamma + beta, (xhat, inv_std)


def batchnorm_backward(dout, cache):
    xhat, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(0)
    dgamma = (dout * xhat).sum(0)
    dx = inv_std / n * (n * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))
    return dx, dgamma, dbeta
