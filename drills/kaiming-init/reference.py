"""Reference: He (Kaiming) initialisation as torch.nn.init computes it: calculate_gain from torch's
table, std = gain / sqrt(fan) with the fan of `mode` (a conv weight's receptive field counts), the
tensor filled in place without autograd history and returned."""

import math

import torch

GAIN_ONE = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity, param=None):
    if nonlinearity in GAIN_ONE or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)  # He: relu keeps half the second moment, Var(W) = 2 / fan
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else param  # torch's default 0.01; param=0 is a slope of 0
        return math.sqrt(2.0 / (1.0 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def _fan(shape, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    receptive_field = math.prod(shape[2:])  # the kernel's size for a conv weight, 1 for a linear one
    fan_in = shape[1] * receptive_field
    fan_out = shape[0] * receptive_field
    return fan_in if mode == "fan_in" else fan_out


def _kaiming_std(shape, a, mode, nonlinearity):
    fan = _fan(tuple(int(s) for s in shape), mode)
    gain = calculate_gain(nonlinearity, a)
    return gain / math.sqrt(fan)


def kaiming_uniform_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    std = _kaiming_std(w.shape, a, mode, nonlinearity)
    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b**2 / 3
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w  # the same tensor, filled in place


def kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    std = _kaiming_std(w.shape, a, mode, nonlinearity)
    with torch.no_grad():
        w.normal_(0.0, std)  # normal_ takes the standard deviation
    return w  # filled in place, like torch.nn.init
