# quizdl drill: bn-backward
# expect: pass
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    m = x.mean(axis=0)
    v = (x ** 2).mean(axis=0) - m ** 2  # one pass: E[x^2] - E[x]^2
    rstd = 1 / np.sqrt(v + eps)
    xh = (x - m) * rstd
    return gamma * xh + beta, (x, m, rstd, gamma)


def batchnorm_backward(dout, cache):
    x, m, rstd, gamma = cache
    n = x.shape[0]
    xh = (x - m) * rstd
    g = dout * gamma
    dx = rstd * (g - g.sum(axis=0) / n - xh * (g * xh).sum(axis=0) / n)
    return dx, (dout * xh).sum(axis=0), dout.sum(axis=0)
