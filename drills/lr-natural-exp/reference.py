"""Reference: TensorFlow's natural exponential decay, lr0 * exp(-gamma * step / decay_steps), the
ratio floored when staircase (tf.compat.v1.train.natural_exp_decay)."""

import math


def natural_exp_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return lr0 * math.exp(-gamma * p)
