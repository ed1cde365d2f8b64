# quizdl drill: bn-backward
# expect: param-grads-averaged, dx-missing-gamma
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = (var + eps) ** -0.5
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (xhat, inv_std)


def batchnorm_backward(dout, cache):
    xhat, inv_std = cache
    n = len(dout)
    dbeta = dout.mean(axis=0)
    dgamma = (dout * xhat).mean(axis=0)
    dx = inv_std / n * (n * dout - dout.sum(axis=0) - xhat * np.sum(dout * xhat, axis=0))
    return dx, dgamma, dbeta
