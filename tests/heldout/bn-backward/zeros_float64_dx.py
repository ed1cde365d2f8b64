# quizdl drill: bn-backward
# expect: float64-accumulation
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    N, D = x.shape
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    N, D = dout.shape
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = np.zeros((N, D))
    for j in range(D):  # one feature at a time
        g = dout[:, j] * gamma[j]
        dx[:, j] = inv_std[j] / N * (N * g - g.sum() - xhat[:, j] * (g * xhat[:, j]).sum())
    return dx, dgamma, dbeta
