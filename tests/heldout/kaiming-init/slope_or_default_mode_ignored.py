# quizdl drill: kaiming-init
# expect: zero-slope-as-default, mode-ignored
import math

import torch


def calculate_gain(nonlinearity, param=None):
    ones = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
            "sigmoid"]
    if nonlinearity in ones:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = param or 0.01
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _std(w, a, nonlinearity):
    k = 1
    for d in w.shape[2:]:
        k *= d
    return calculate_gain(nonlinearity, a) / math.sqrt(w.shape[1] * k)


def kaiming_uniform_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    b = math.sqrt(3) * _std(w, a, nonlinearity)
    with torch.no_grad():
        w.uniform_(-b, b)
    return w


def kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    s = _std(w, a, nonlinearity)
    with torch.no_grad():
        w.normal_(0.0, s)
    return w
