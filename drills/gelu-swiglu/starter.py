# quizdl drill: gelu-swiglu
"""GELU (exact and tanh), SiLU and LLaMA's SwiGLU feed-forward, by hand in PyTorch.

Grade with: quizdl grade gelu-swiglu.py
"""

import math  # noqa: F401

import torch
from torch import nn


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """Same as torch.nn.functional.gelu(x, approximate=approximate).

    "none": x·Φ(x), Φ the standard normal CDF (torch.erf). "tanh": the tanh approximation.
    Differentiable, in x's dtype; x is never modified.
    """
    raise NotImplementedError


def silu(x: torch.Tensor) -> torch.Tensor:
    """Same as torch.nn.functional.silu(x) = x·sigmoid(x); finite values and gradients for
    |x| up to 100 in float32."""
    raise NotImplementedError


class SwiGLU(nn.Module):
    """LLaMA's feed-forward: w2(silu(w1(x)) * w3(x)), x: (..., dim) -> (..., dim).

    Submodules (nn.Linear, bias=False): w1 dim -> hidden, w2 hidden -> dim, w3 dim -> hidden.
    """

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
