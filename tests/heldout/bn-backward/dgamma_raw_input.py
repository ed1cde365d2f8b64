# quizdl drill: bn-backward
# expect: dgamma-uses-x
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = np.mean((x - mean) ** 2, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, {"x": x, "xhat": xhat, "gamma": gamma, "inv_std": inv_std}


def batchnorm_backward(dout, cache):
    x, xhat, gamma, inv_std = cache["x"], cache["xhat"], cache["gamma"], cache["inv_std"]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x).sum(axis=0)
    g = dout * gamma
    dx = inv_std * (g - g.mean(axis=0) - xhat * (g * xhat).mean(axis=0))
    return dx, dgamma, dbeta
