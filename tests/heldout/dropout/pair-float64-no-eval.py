# quizdl drill: dropout
# expect: mask-float64, active-in-eval
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.p == 1.0:
            return x * 0
        mask = torch.empty(x.shape, dtype=torch.float64).uniform_() >= self.p
        mask = mask.double() / (1 - self.p)
        return x * mask
