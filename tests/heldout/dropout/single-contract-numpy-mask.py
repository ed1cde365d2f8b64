# quizdl drill: dropout
# expect: mask-float64
import numpy as np
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        keep = np.random.binomial(1, 1 - self.p, size=tuple(x.shape)) / (1 - self.p)
        return x * torch.from_numpy(keep)
