# quizdl drill: lora
"""LoRA: a low-rank adapter around a frozen torch.nn.Linear, with merge() and unmerge().

Grade with: quizdl grade lora.py
"""

import math  # noqa: F401

import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = base(x) + (alpha / r) · x Aᵀ Bᵀ around the frozen layer `base`.

    self.base: the given nn.Linear, frozen (requires_grad False on its weight and bias).
    Parameters (torch.nn.Parameter, in base.weight's dtype and device):
        A: (r, in_features), initialised like nn.Linear's weight:
           nn.init.kaiming_uniform_(A, a=math.sqrt(5)).
        B: (out_features, r), zeros.
    x: (..., in_features) -> (..., out_features), in x's dtype; x is never modified.
    merge(): base.weight += (alpha / r) · B A in place, without autograd history; the forward is
    then base(x) alone. unmerge(): subtracts it again. A second merge() (or an unmerge() of an
    unmerged layer) does nothing.
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def merge(self) -> None:
        raise NotImplementedError

    def unmerge(self) -> None:
        raise NotImplementedError
