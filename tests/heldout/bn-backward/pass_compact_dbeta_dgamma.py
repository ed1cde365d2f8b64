# quizdl drill: bn-backward
# expect: pass
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    inv = np.reciprocal(np.sqrt(var + eps))
    xhat = (x - mean) * inv
    return gamma * xhat + beta, {"xhat": xhat, "gamma": gamma, "inv": inv}


def batchnorm_backward(dout, cache):
    xhat, gamma, inv = cache["xhat"], cache["gamma"], cache["inv"]
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (xhat * dout).sum(axis=0)
    # the classic one-liner in terms of the parameter gradients
    dx = (gamma * inv / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
