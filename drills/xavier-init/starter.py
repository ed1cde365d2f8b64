# quizdl drill: xavier-init
"""Glorot (Xavier) initialisation from scratch: fans of linear and conv weights, xavier_uniform_
and xavier_normal_ (torch.nn.init.xavier_* and the fan helpers are not allowed).

Grade with: quizdl grade xavier_init.py
"""

import math  # noqa: F401

import torch  # noqa: F401


def fans(shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of this shape (a tuple, list or torch.Size).

    Linear weight (out_features, in_features); conv weight (out_channels, in_channels, *kernel).
    Raises ValueError for fewer than 2 dimensions.
    """
    raise NotImplementedError


def xavier_uniform_(w: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    """Fill w in place from Glorot's uniform distribution and return w itself.

    w may be a torch.nn.Parameter (requires_grad=True): record no autograd history.
    """
    raise NotImplementedError


def xavier_normal_(w: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    """Fill w in place from Glorot's normal distribution (mean 0) and return w itself."""
    raise NotImplementedError
