# quizdl drill: bn-backward
"""A correct solution written differently: staged backprop through the computational graph
(x -> mu -> xc -> var -> std -> inv_std -> xhat -> out), one node at a time."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    n = x.shape[0]
    mu = np.sum(x, axis=0) / n
    xc = x - mu
    var = np.sum(xc * xc, axis=0) / n
    std = np.sqrt(var + eps)
    inv_std = 1.0 / std
    xhat = xc * inv_std
    out = xhat * gamma + beta
    return out, {"xc": xc, "std": std, "inv_std": inv_std, "xhat": xhat, "gamma": gamma}


def batchnorm_backward(dout, cache):
    xc, std, inv_std = cache["xc"], cache["std"], cache["inv_std"]
    xhat, gamma = cache["xhat"], cache["gamma"]
    n = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * xhat, axis=0)
    dxhat = dout * gamma
    # xhat = xc * inv_std
    dinv_std = np.sum(dxhat * xc, axis=0)
    dxc = dxhat * inv_std
    # inv_std = 1 / std, std = sqrt(var + eps)
    dstd = -dinv_std / (std * std)
    dvar = dstd * 0.5 / std
    # var = sum(xc ** 2) / n
    dxc = dxc + dvar * 2.0 * xc / n
    # xc = x - mu, mu = sum(x) / n
    dmu = -np.sum(dxc, axis=0)
    dx = dxc + dmu / n
    return dx, dgamma, dbeta
