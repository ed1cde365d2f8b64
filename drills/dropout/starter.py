# quizdl drill: dropout
"""Inverted dropout, written by hand in PyTorch.

Grade with: quizdl grade dropout.py
"""

import torch


class Dropout(torch.nn.Module):
    """Same behaviour as torch.nn.Dropout(p).

    Training mode (self.training is True): each element of x is zeroed independently with
    probability p, and the elements that survive are scaled by 1 / (1 - p), so the expected
    output equals x. Every call draws a new random mask. p = 0 returns x unchanged; p = 1 returns
    all zeros (no NaN).

    Eval mode (after .eval()): the identity, y = x.

    The output has the shape and dtype of x, and autograd must flow to x through the same mask
    and scale that the forward pass used.
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
