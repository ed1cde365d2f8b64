# quizdl drill: rmsnorm
# expect: mean-centring
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xc = x - x.mean(dim=-1, keepdim=True)
        rms = torch.sqrt(xc.square().mean(dim=-1, keepdim=True) + self.eps)
        return self.weight * xc / rms
