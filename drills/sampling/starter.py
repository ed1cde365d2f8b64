# quizdl drill: sampling
"""Decoding: temperature, top-k and top-p (nucleus) filtering and sampling by inverse CDF, NumPy
only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade sampling.py
"""

import numpy as np


def top_k_filter(logits: np.ndarray, k: int) -> np.ndarray:
    """A copy of the 1-D logits with every token outside the k largest set to -inf (exactly k
    remain: ties at the k-th value go to the lower indices; k >= len(logits) keeps them all).
    Same dtype as logits; logits is not modified."""
    raise NotImplementedError


def top_p_filter(logits: np.ndarray, p: float) -> np.ndarray:
    """A copy of the 1-D logits keeping the smallest set of most probable tokens (of
    softmax(logits), sorted in descending order, ties to the lower index) whose total probability
    reaches p; every other token is set to -inf. Same dtype as logits; logits is not modified."""
    raise NotImplementedError


def sample(logits: np.ndarray, u: float, temperature: float = 1.0, top_k: int | None = None,
           top_p: float | None = None) -> int:
    """The token index drawn with the uniform number u in [0, 1): divide by the temperature,
    filter with top-k, then top-p (each only when given), take the softmax and return the first
    index i (in vocabulary order) whose cumulative probability is greater than u. temperature 0:
    the argmax of logits (the lowest index on ties)."""
    raise NotImplementedError
