# quizdl drill: dropout
# expect: mask-in-place, scale-by-p
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        drop = torch.rand_like(x) < self.p
        x[drop] = 0
        return x * self.p
