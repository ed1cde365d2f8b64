# quizdl drill: kaiming-init
"""A gain table, the fan from math.prod, fresh draws copied into w.data (other draws than torch's)."""

import math

import torch

_ONE = {"linear", "sigmoid", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
        "conv_transpose3d"}


def calculate_gain(nonlinearity, param=None):
    if nonlinearity in _ONE:
        return 1.0
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + slope * slope))
    table = {"tanh": 5.0 / 3.0, "relu": 2.0**0.5, "selu": 0.75}
    if nonlinearity not in table:
        raise ValueError(f"no gain for {nonlinearity}")
    return table[nonlinearity]


def _std(w, a, mode, nonlinearity):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(mode)
    k = math.prod(w.shape[2:])
    fan = w.shape[1] * k if mode == "fan_in" else w.shape[0] * k
    return calculate_gain(nonlinearity, a) * fan**-0.5


def kaiming_uniform_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    b = 3**0.5 * _std(w, a, mode, nonlinearity)
    w.data.copy_(torch.empty_like(w).uniform_(-b, b))
    return w


def kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    std = _std(w, a, mode, nonlinearity)
    w.data.copy_(torch.randn(w.shape, dtype=w.dtype) * std)
    return w
