# quizdl drill: rmsnorm
# expect: float64-upcast, l2-norm
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x64 = x.double()
        return self.weight * x64 / torch.sqrt(x64.pow(2).sum(-1, keepdim=True) + self.eps)
