# quizdl drill: label-smoothing-ce
"""Cross-entropy with label smoothing and ignore_index, and its gradient, NumPy only (torch,
scipy and sklearn are blocked).

Grade with: quizdl grade label-smoothing-ce.py
"""

import numpy as np


def cross_entropy(logits: np.ndarray, targets: np.ndarray, label_smoothing: float = 0.0,
                  ignore_index: int = -100):
    """torch.nn.functional.cross_entropy(logits, targets, label_smoothing=..., ignore_index=...)
    with reduction "mean": logits (N, C), targets (N,) int class ids. Rows whose target equals
    ignore_index count neither in the sum nor in the mean; every row ignored gives NaN, like
    torch. Returns a scalar in logits' dtype; the inputs are not modified."""
    raise NotImplementedError


def cross_entropy_grad(logits: np.ndarray, targets: np.ndarray, label_smoothing: float = 0.0,
                       ignore_index: int = -100) -> np.ndarray:
    """d cross_entropy / d logits, shape (N, C), logits' dtype: what torch autograd gives
    (zero rows for ignored targets; all zeros when every row is ignored)."""
    raise NotImplementedError
