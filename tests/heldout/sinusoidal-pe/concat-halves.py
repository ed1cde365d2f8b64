# quizdl drill: sinusoidal-pe
# expect: sin-cos-concatenated
import numpy as np


def sinusoidal_positions(length, d_model, base=10000.0):
    d = d_model + d_model % 2
    div = np.exp(np.arange(0, d, 2) * (-np.log(base) / d))
    pos = np.arange(length)[:, None]
    pe = np.concatenate([np.sin(pos * div), np.cos(pos * div)], axis=1)
    return pe[:, :d_model]
