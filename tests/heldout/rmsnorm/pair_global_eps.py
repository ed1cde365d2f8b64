# quizdl drill: rmsnorm
# expect: eps-outside-sqrt, rms-over-all-elements
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * x / (x.pow(2).mean().sqrt() + self.eps)
