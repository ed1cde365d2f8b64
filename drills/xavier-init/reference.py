"""Reference: Glorot (Xavier) initialisation as torch.nn.init computes it: fans from the shape
(a conv weight's receptive field counts), variance gain**2 * 2 / (fan_in + fan_out), the tensor
filled in place without autograd history and returned."""

import math

import torch


def fans(shape):
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError("fan_in and fan_out need a shape with at least 2 dimensions")
    receptive_field = math.prod(shape[2:])  # the kernel's size for a conv weight, 1 for a linear one
    fan_in = shape[1] * receptive_field
    fan_out = shape[0] * receptive_field
    return fan_in, fan_out


def _xavier_std(shape, gain):
    fan_in, fan_out = fans(shape)
    variance = 2.0 / (fan_in + fan_out)  # Glorot: the forward (fan_in) and backward (fan_out) needs, averaged
    return gain * math.sqrt(variance)


def xavier_uniform_(w, gain=1.0):
    std = _xavier_std(w.shape, gain)
    bound = math.sqrt(3.0) * std  # U(-a, a) has variance a**2 / 3
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w  # the same tensor, filled in place


def xavier_normal_(w, gain=1.0):
    std = _xavier_std(w.shape, gain)
    with torch.no_grad():
        w.normal_(0.0, std)  # normal_ takes the standard deviation
    return w  # filled in place, like torch.nn.init
