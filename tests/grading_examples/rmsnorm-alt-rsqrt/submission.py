# quizdl drill: rmsnorm
"""A correct solution written differently: sum of x * x divided by dim, rsqrt, weight on the left."""

import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.dim = dim
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ms = (x * x).sum(dim=-1, keepdim=True) / self.dim
        return self.weight * (x * torch.rsqrt(ms + self.eps))
