# quizdl drill: mixup
"""mixup within a batch, NumPy only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade mixup.py
"""

import numpy as np


def mixup(x: np.ndarray, y_onehot: np.ndarray, lam: float, perm: np.ndarray):
    """Blend example i with its partner perm[i]: weight lam on example i, 1 - lam on the partner,
    for the inputs x (N, ...) and the one-hot labels y_onehot (N, K) alike. Returns
    (x_mixed, y_mixed) in the inputs' shapes and dtype. x, y_onehot and perm are not modified."""
    raise NotImplementedError


def sample_lam(alpha: float, rng: np.random.Generator) -> float:
    """lam ~ Beta(alpha, alpha), drawn with exactly one rng.beta(alpha, alpha) call; alpha = 0
    returns 1.0 without drawing."""
    raise NotImplementedError
