# quizdl drill: instancenorm
"""A correct solution written differently: torch.var_mean with correction=0, rsqrt, parameters
kept as None attributes when affine is off."""

import torch
from torch import nn


class InstanceNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, affine=False):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_features)) if affine else None
        self.bias = nn.Parameter(torch.zeros(num_features)) if affine else None

    def forward(self, x):
        var, mean = torch.var_mean(x, dim=(-2, -1), keepdim=True, correction=0)
        out = (x - mean) * torch.rsqrt(var + self.eps)
        if self.weight is not None:
            out = out * self.weight[:, None, None] + self.bias[:, None, None]
        return out
