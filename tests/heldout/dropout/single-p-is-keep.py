# quizdl drill: dropout
# expect: p-as-keep-prob
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p  # probability of keeping a unit

    def forward(self, x):
        if not self.training:
            return x
        mask = (torch.rand_like(x) < self.p).float()
        return mask * x / self.p
