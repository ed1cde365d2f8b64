"""Reference: TensorFlow's polynomial decay. Without cycle the step is clipped to decay_steps
(PolynomialLR when end_lr = 0); with cycle the horizon is the first multiple of decay_steps that
covers the step, and step 0 belongs to the first cycle."""

import math


def polynomial_decay(step, lr0, decay_steps, end_lr=0.0, power=1.0, cycle=False):
    if cycle:
        multiplier = math.ceil(step / decay_steps)
        if step == 0:
            multiplier = 1  # not 0: the horizon would be 0
        horizon = decay_steps * multiplier
    else:
        horizon = decay_steps
        step = min(step, decay_steps)
    fraction = step / horizon
    decay = (1 - fraction) ** power
    return (lr0 - end_lr) * decay + end_lr
