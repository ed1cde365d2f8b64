"""Reference: TensorFlow's exponential decay, lr0 * gamma ** (step / decay_steps), the exponent
floored when staircase (ExponentialLR is the case decay_steps=1)."""

import math


def exponential_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return lr0 * gamma ** p
