# quizdl drill: sinusoidal-pe
"""A correct solution written differently: frequencies as exp(-log(base) * 2i / d), sin and cos
interleaved by stacking on a new last axis and flattening the pairs."""

import math

import numpy as np


def sinusoidal_positions(length, d_model, base=10000.0):
    d = d_model if d_model % 2 == 0 else d_model + 1
    freqs = np.exp(-math.log(base) * np.arange(0, d, 2) / d)
    angles = np.outer(np.arange(length), freqs)
    table = np.stack((np.sin(angles), np.cos(angles)), axis=-1).reshape(length, d)
    return table[:, :d_model]
