# quizdl drill: lr-polynomial
"""Polynomial decay: the horizon is max(1, ceil(step / decay_steps)) periods when cycling."""

import math


def polynomial_decay(step, lr0, decay_steps, end_lr=0.0, power=1.0, cycle=False):
    if cycle:
        periods = max(1, math.ceil(step / decay_steps))
        t, horizon = step, decay_steps * periods
    else:
        t, horizon = min(step, decay_steps), decay_steps
    return end_lr + (lr0 - end_lr) * ((horizon - t) / horizon) ** power
