# quizdl drill: groupnorm
"""A correct solution written differently: a (N, G, -1) view, torch.var_mean with correction=0,
rsqrt, addcmul for the affine part."""

import torch
from torch import nn


class GroupNorm(nn.Module):
    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"{num_channels} channels cannot be split into {num_groups} groups")
        self.num_groups, self.eps, self.affine = num_groups, eps, affine
        if affine:
            self.weight = nn.Parameter(torch.ones(num_channels))
            self.bias = nn.Parameter(torch.zeros(num_channels))
        else:
            self.weight = self.bias = None

    def forward(self, x):
        g = x.reshape(x.size(0), self.num_groups, -1)
        var, mean = torch.var_mean(g, dim=-1, keepdim=True, correction=0)
        y = ((g - mean) * torch.rsqrt(var + self.eps)).view_as(x)
        if not self.affine:
            return y
        s = [1, -1] + [1] * (x.dim() - 2)
        return torch.addcmul(self.bias.view(s), y, self.weight.view(s))
