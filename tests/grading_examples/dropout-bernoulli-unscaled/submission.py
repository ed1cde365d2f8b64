# quizdl drill: dropout
"""A typical error written its own way: a Bernoulli mask without the 1/(1-p) rescaling, i.e.
vanilla dropout (diagnosed as no-rescale)."""

import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        return x * torch.bernoulli(torch.full_like(x, 1.0 - self.p))
