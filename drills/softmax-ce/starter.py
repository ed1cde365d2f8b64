# quizdl drill: softmax-ce
"""Stable softmax, log-softmax and cross-entropy with NumPy only (torch and scipy are blocked).

Grade with: quizdl grade softmax_ce.py
"""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax of `x` along `axis` (may be negative); same shape and dtype as `x`.

    Must stay finite for logits anywhere in [-1e4, 1e4].
    """
    raise NotImplementedError


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) along `axis`, computed directly with log-sum-exp (never log of 0)."""
    raise NotImplementedError


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean over the batch of -log_softmax(logits)[i, targets[i]].

    logits: (N, C) float array; targets: (N,) integer class indices in [0, C).
    """
    raise NotImplementedError


def cross_entropy_grad(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """d cross_entropy / d logits = (softmax(logits) - onehot(targets)) / N, shape (N, C)."""
    raise NotImplementedError
