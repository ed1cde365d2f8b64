# quizdl drill: rmsnorm
# expect: eps-outside-sqrt, weight-before-normalisation
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        z = x * self.weight
        return z / (torch.sqrt(torch.mean(z * z, dim=-1, keepdim=True)) + self.eps)
