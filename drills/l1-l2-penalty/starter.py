# quizdl drill: l1-l2-penalty
"""L1, L2 and elastic-net weight penalties with their gradients, NumPy only (torch, scipy and
sklearn are blocked).

Grade with: quizdl grade l1_l2_penalty.py
"""

import numpy as np


def l1_penalty(w: np.ndarray, lam: float):
    """R(w) = lam * sum(|w|). Returns (value, grad): value a single number, grad an array of w's
    shape (the subgradient 0 where w == 0), both in w's dtype. w is not modified."""
    raise NotImplementedError


def l2_penalty(w: np.ndarray, lam: float):
    """R(w) = lam * sum(w ** 2) (no 1/2 in front). Returns (value, grad) like l1_penalty."""
    raise NotImplementedError


def elastic_net(w: np.ndarray, lam: float, l1_ratio: float):
    """l1_ratio * R_L1(w) + (1 - l1_ratio) * R_L2(w) with the two penalties above (same lam; no
    sklearn-style 1/2 on the L2 part). Returns (value, grad) like l1_penalty."""
    raise NotImplementedError
