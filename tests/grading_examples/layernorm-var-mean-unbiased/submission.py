# quizdl drill: layernorm
"""A typical error written its own way: torch.var_mean's default correction=1 gives the unbiased
variance (diagnosed as unbiased-variance)."""

import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        var, mean = torch.var_mean(x, dim=-1, keepdim=True)
        return torch.addcmul(self.bias, (x - mean) * torch.rsqrt(var + self.eps), self.weight)
