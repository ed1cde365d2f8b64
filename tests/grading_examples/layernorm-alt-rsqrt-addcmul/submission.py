# quizdl drill: layernorm
"""A correct solution written differently: sums divided by D, rsqrt, addcmul for the affine part."""

import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = x.shape[-1]
        centred = x - x.sum(-1, keepdim=True) / d
        var = (centred * centred).sum(-1, keepdim=True) / d
        return torch.addcmul(self.bias, centred * torch.rsqrt(var + self.eps), self.weight)
