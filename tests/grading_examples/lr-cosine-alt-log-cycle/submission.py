# quizdl drill: lr-cosine
"""A correct solution written differently: the cycle from a logarithm (as in PyTorch's
step(epoch)), corrected with exact integer checks, and the cosine written as lr_max minus a rise."""

import math


def cosine_annealing(t, lr_max, T_max, lr_min=0.0):
    rise = (1.0 - math.cos(math.pi * (t / T_max))) / 2.0
    return lr_max - (lr_max - lr_min) * rise


def _cycle_start(n, T_0, T_mult):
    return n * T_0 if T_mult == 1 else T_0 * (T_mult**n - 1) // (T_mult - 1)


def cosine_warm_restarts(t, lr_max, T_0, T_mult=1, lr_min=0.0):
    if T_mult == 1:
        n = int(t // T_0)
    else:
        n = int(math.log(t / T_0 * (T_mult - 1) + 1, T_mult))
        while _cycle_start(n + 1, T_0, T_mult) <= t:  # the float log can land one cycle low
            n += 1
        while n > 0 and _cycle_start(n, T_0, T_mult) > t:
            n -= 1
    T_i = T_0 * T_mult**n
    T_cur = t - _cycle_start(n, T_0, T_mult)
    rise = (1.0 - math.cos(math.pi * (T_cur / T_i))) / 2.0
    return lr_max - (lr_max - lr_min) * rise
