# quizdl drill: rmsnorm
"""A typical error written its own way: the RMS from torch.linalg.vector_norm, with eps added
outside the square root (diagnosed as eps-outside-sqrt)."""

import math

import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.dim, self.eps = dim, eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        rms = torch.linalg.vector_norm(x, dim=-1, keepdim=True) / math.sqrt(self.dim)
        return self.weight * x / (rms + self.eps)
