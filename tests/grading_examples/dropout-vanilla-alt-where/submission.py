# quizdl drill: dropout-vanilla
"""A correct solution written differently: np.where for the dropped units, the inverted form as
the vanilla training output times the scale 1 / q, eval as np.array(x) (a copy)."""

import numpy as np


def vanilla_dropout(x, p, mask, train=True):
    q = 1.0 - p
    if train:
        return np.where(mask, x, np.zeros_like(x))
    return q * x


def inverted_equivalent(x, p, mask, train=True):
    if not train:
        return np.array(x)
    scale = 1.0 / (1.0 - p)
    return vanilla_dropout(x, p, mask, train=True) * scale
