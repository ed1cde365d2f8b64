# quizdl drill: rmsnorm
# expect: l2-norm
import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        sumsq = (x ** 2).sum(dim=-1, keepdim=True)
        return self.weight * x * torch.rsqrt(sumsq + self.eps)
