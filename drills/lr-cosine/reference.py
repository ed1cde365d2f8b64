"""Reference: cosine annealing in closed form (CosineAnnealingLR) and SGDR's warm restarts
(CosineAnnealingWarmRestarts) at a real-valued epoch t."""

import math


def cosine_annealing(t, lr_max, T_max, lr_min=0.0):
    # Past T_max the closed form goes on: the lr climbs back to lr_max at 2 * T_max.
    half_period = T_max
    cos_t = math.cos(math.pi * t / half_period)
    return lr_min + (lr_max - lr_min) * (1 + cos_t) / 2


def cosine_warm_restarts(t, lr_max, T_0, T_mult=1, lr_min=0.0):
    start, period = 0, T_0  # the cycle holding t is [start, start + period)
    while t >= start + period:  # a restart at exactly t starts the new cycle at lr_max
        start += period
        period *= T_mult
    t_cur = t - start  # fractional epochs move along the cosine too
    cos_cur = math.cos(math.pi * t_cur / period)
    return lr_min + (lr_max - lr_min) * (1 + cos_cur) / 2
