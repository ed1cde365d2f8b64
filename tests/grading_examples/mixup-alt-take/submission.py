# quizdl drill: mixup
"""A correct solution written differently: np.take for the partners, the blend as
partner + lam * (x - partner), a helper shared by inputs and labels."""

import numpy as np


def _blend(a, lam, perm):
    partner = np.take(a, perm, axis=0)
    return partner + lam * (a - partner)


def mixup(x, y_onehot, lam, perm):
    return _blend(x, lam, perm), _blend(y_onehot, lam, perm)


def sample_lam(alpha, rng):
    if alpha == 0:
        return 1.0
    return rng.beta(alpha, alpha)
