# quizdl drill: xavier-init
# expect: no-receptive-field, uniform-without-sqrt3
import math


def fans(shape):
    if len(shape) < 2:
        raise ValueError("weights have 2+ dims")
    return int(shape[1]), int(shape[0])


def xavier_uniform_(w, gain=1.0):
    fi, fo = fans(w.shape)
    std = gain * math.sqrt(2 / (fi + fo))
    w.data.uniform_(-std, std)
    return w


def xavier_normal_(w, gain=1.0):
    fi, fo = fans(w.shape)
    std = gain * math.sqrt(2 / (fi + fo))
    w.data.normal_(0, std)
    return w
