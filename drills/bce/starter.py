# quizdl drill: bce
"""Binary cross-entropy on probabilities and on logits (with pos_weight), NumPy only (torch is
blocked).

Grade with: quizdl grade bce.py
"""

import numpy as np


def binary_cross_entropy(p: np.ndarray, y: np.ndarray):
    """Mean over all elements of -(y log p + (1 - y) log(1 - p)), logs clamped like
    torch.nn.functional.binary_cross_entropy (finite at p = 0 and p = 1)."""
    raise NotImplementedError


def bce_with_logits(z: np.ndarray, y: np.ndarray, pos_weight=None):
    """Mean BCE of sigmoid(z) against y, like F.binary_cross_entropy_with_logits(z, y,
    pos_weight=pos_weight); finite and accurate for |z| up to 1e4. pos_weight: None, a float, or
    an array broadcastable to z, weighting the positive term."""
    raise NotImplementedError


def bce_with_logits_grad(z: np.ndarray, y: np.ndarray, pos_weight=None) -> np.ndarray:
    """d bce_with_logits / d z, shape of z.

    All functions: results in the inputs' dtype (float32 in, float32 out); inputs are never
    modified.
    """
    raise NotImplementedError
