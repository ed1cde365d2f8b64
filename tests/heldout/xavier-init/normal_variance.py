# quizdl drill: xavier-init
# expect: variance-as-std
import math

import torch


def fans(shape):
    if len(shape) < 2:
        raise ValueError("weights have 2+ dims")
    rf = math.prod(shape[2:])
    return shape[1] * rf, shape[0] * rf


def xavier_uniform_(w, gain=1.0):
    fi, fo = fans(w.shape)
    bound = gain * math.sqrt(6.0 / (fi + fo))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w


def xavier_normal_(w, gain=1.0):
    fi, fo = fans(w.shape)
    var = gain**2 * 2.0 / (fi + fo)
    with torch.no_grad():
        w.normal_(mean=0.0, std=var)
    return w
