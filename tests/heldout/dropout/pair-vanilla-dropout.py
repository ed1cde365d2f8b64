# quizdl drill: dropout
# expect: no-rescale, eval-scaled
import torch
from torch import nn


class Dropout(nn.Module):
    """Dropout as in the original paper: drop in training, scale by the keep rate at test time."""

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.training:
            return x * torch.bernoulli(torch.full_like(x, 1 - self.p))
        return x * (1 - self.p)
