# quizdl drill: xavier-init
"""Xavier with fresh draws copied into w.data (other draws than torch's, same distributions)."""

import functools
import operator

import torch


def fans(shape):
    dims = list(shape)
    if len(dims) < 2:
        raise ValueError("need at least a 2-D weight")
    k = functools.reduce(operator.mul, dims[2:], 1)
    return dims[1] * k, dims[0] * k


def xavier_uniform_(w, gain=1.0):
    fan_in, fan_out = fans(w.shape)
    a = gain * (6.0 / (fan_in + fan_out)) ** 0.5
    u = torch.rand(w.shape, dtype=w.dtype)  # [0, 1)
    w.data.copy_((2.0 * u - 1.0) * a)
    return w


def xavier_normal_(w, gain=1.0):
    fan_in, fan_out = fans(w.shape)
    std = gain * (2.0 / (fan_in + fan_out)) ** 0.5
    w.data.copy_(torch.randn(w.shape, dtype=w.dtype).mul(std))
    return w
