# quizdl drill: bn-backward
# expect: stats-as-constants, dgamma-uses-x
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    denom = np.sqrt(var + eps)
    out = gamma * (x - mean) / denom + beta
    return out, (x, gamma, denom)


def batchnorm_backward(dout, cache):
    x, gamma, denom = cache
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x, axis=0)
    dx = dout * gamma / denom
    return dx, dgamma, dbeta
