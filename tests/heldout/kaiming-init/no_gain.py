# quizdl drill: kaiming-init
# expect: gain-forgotten
import math

import torch


def calculate_gain(nonlinearity, param=None):
    if nonlinearity in ("linear", "sigmoid") or nonlinearity.startswith("conv"):
        return 1.0
    if nonlinearity == "tanh":
        return 5 / 3
    if nonlinearity == "relu":
        return math.sqrt(2)
    if nonlinearity == "leaky_relu":
        s = 0.01 if param is None else param
        return math.sqrt(2 / (1 + s**2))
    if nonlinearity == "selu":
        return 0.75
    raise ValueError(nonlinearity)


def _fan(w, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(mode)
    rf = w[0][0].numel()
    return w.size(1) * rf if mode == "fan_in" else w.size(0) * rf


def kaiming_uniform_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    bound = math.sqrt(3.0 / _fan(w, mode))
    with torch.no_grad():
        return w.uniform_(-bound, bound)


def kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    with torch.no_grad():
        return w.normal_(0, 1 / math.sqrt(_fan(w, mode)))
