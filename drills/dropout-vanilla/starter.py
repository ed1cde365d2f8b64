# quizdl drill: dropout-vanilla
"""Vanilla dropout and its inverted equivalent with a given keep-mask, NumPy only (torch, scipy
and sklearn are blocked).

Grade with: quizdl grade dropout_vanilla.py
"""

import numpy as np


def vanilla_dropout(x: np.ndarray, p: float, mask: np.ndarray, train: bool = True) -> np.ndarray:
    """Dropout as in the original paper. p: the drop probability; mask: boolean keep-mask of x's
    shape (True = kept). Training: dropped units zeroed, kept ones unchanged. Eval: every unit,
    matching the training-time expectation. Returns a new array in x's dtype; x, mask untouched."""
    raise NotImplementedError


def inverted_equivalent(x: np.ndarray, p: float, mask: np.ndarray, train: bool = True) -> np.ndarray:
    """Inverted dropout (PyTorch's nn.Dropout): the rescaling happens in training, so that eval is
    the identity. Same arguments and contract as vanilla_dropout."""
    raise NotImplementedError
