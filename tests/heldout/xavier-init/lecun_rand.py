# quizdl drill: xavier-init
# expect: fan-in-only
import math

import torch


def fans(shape):
    s = tuple(shape)
    if len(s) < 2:
        raise ValueError("2-D at least")
    k = 1
    for d in s[2:]:
        k *= d
    return s[1] * k, s[0] * k


def xavier_uniform_(w, gain=1.0):
    fan_in, _ = fans(w.shape)
    a = gain * math.sqrt(3.0 / fan_in)
    with torch.no_grad():
        w.copy_(torch.rand_like(w) * 2 * a - a)
    return w


def xavier_normal_(w, gain=1.0):
    fan_in, _ = fans(w.shape)
    with torch.no_grad():
        w.copy_(torch.randn_like(w) * (gain / math.sqrt(fan_in)))
    return w
