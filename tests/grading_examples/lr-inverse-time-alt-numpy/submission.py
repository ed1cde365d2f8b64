# quizdl drill: lr-inverse-time
"""Inverse time decay with NumPy: floor_divide for the staircase."""

import numpy as np


def inverse_time_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    t = np.floor_divide(step, decay_steps) if staircase else np.true_divide(step, decay_steps)
    return float(lr0 / (1.0 + gamma * t))
