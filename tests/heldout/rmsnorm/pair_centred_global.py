# quizdl drill: rmsnorm
# expect: mean-centring, rms-over-all-elements
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x = x - x.mean(dim=-1, keepdim=True)
        ms = x.pow(2).mean()
        return x / torch.sqrt(ms + self.eps) * self.weight
