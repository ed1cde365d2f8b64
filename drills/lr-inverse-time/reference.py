"""Reference: TensorFlow's inverse time decay, lr0 / (1 + gamma * step / decay_steps), the
ratio floored when staircase (tf.keras.optimizers.schedules.InverseTimeDecay)."""

import math


def inverse_time_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    p = step / decay_steps
    if staircase:
        p = math.floor(p)
    return lr0 / (1 + gamma * p)
