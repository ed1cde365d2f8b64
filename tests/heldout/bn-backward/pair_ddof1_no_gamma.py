# quizdl drill: bn-backward
# expect: unbiased-variance, dx-missing-gamma
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    n = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    var = (xc ** 2).sum(axis=0) / (n - 1)
    std = np.sqrt(var + eps)
    return gamma * xc / std + beta, (xc, std, n)


def batchnorm_backward(dout, cache):
    xc, std, n = cache
    xhat = xc / std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dvar = (dout * xc).sum(axis=0) * -0.5 / std ** 3
    dmean = -(dout / std).sum(axis=0)
    dx = dout / std + dvar * 2 * xc / (n - 1) + dmean / n
    return dx, dgamma, dbeta
