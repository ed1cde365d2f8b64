# quizdl drill: bn-backward
"""A typical error written its own way: the batch statistics are treated as constants in the
backward pass (diagnosed as stats-as-constants)."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = np.einsum("nd->d", x) / x.shape[0]
    var = np.einsum("nd,nd->d", x - mu, x - mu) / x.shape[0]
    std = np.sqrt(var + eps)
    xn = (x - mu) / std
    return xn * gamma + beta, {"xn": xn, "std": std, "gamma": gamma}


def batchnorm_backward(dout, cache):
    dgamma = np.einsum("nd,nd->d", dout, cache["xn"])
    dbeta = np.einsum("nd->d", dout)
    dx = dout * (cache["gamma"] / cache["std"])
    return dx, dgamma, dbeta
