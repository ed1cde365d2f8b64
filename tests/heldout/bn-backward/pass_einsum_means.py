# quizdl drill: bn-backward
# expect: pass
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    centered = x - x.mean(axis=0, keepdims=True)
    variance = (centered * centered).mean(axis=0, keepdims=True)
    std = np.sqrt(variance + eps)
    normed = centered / std
    out = normed * gamma + beta
    return out, (normed, std, gamma)


def batchnorm_backward(dout, cache):
    normed, std, gamma = cache
    dnormed = dout * gamma
    dbeta = np.einsum("nd->d", dout)
    dgamma = np.einsum("nd,nd->d", dout, normed)
    mean_d = dnormed.mean(axis=0, keepdims=True)
    mean_dn = (dnormed * normed).mean(axis=0, keepdims=True)
    dx = (dnormed - mean_d - normed * mean_dn) / std
    return dx, dgamma, dbeta
