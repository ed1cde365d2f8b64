# quizdl drill: lr-natural-exp
"""Natural exponential decay with NumPy scalars (returns np.float64)."""

import numpy as np


def natural_exp_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    ratio = np.float64(step) / decay_steps
    if staircase:
        ratio = np.floor(ratio)
    return lr0 * np.exp(-gamma * ratio)
