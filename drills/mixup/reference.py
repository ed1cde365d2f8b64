"""Reference: mixup (Zhang et al., 2018) within a batch: each example is blended with the
example perm[i] of the same batch, inputs and one-hot labels with the same weight lam;
lam ~ Beta(alpha, alpha), and alpha = 0 turns mixup off (lam = 1)."""

import numpy as np  # noqa: F401 (the known mistakes' edits use it)


def mixup(x, y_onehot, lam, perm):
    x_partner = x[perm]
    y_partner = y_onehot[perm]
    x_mixed = lam * x + (1.0 - lam) * x_partner
    y_mixed = lam * y_onehot + (1.0 - lam) * y_partner
    return x_mixed, y_mixed


def sample_lam(alpha, rng):
    if alpha <= 0:
        return 1.0
    return float(rng.beta(alpha, alpha))
