# quizdl drill: dropout
# expect: pass
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = float(p)

    def forward(self, x):
        if not self.training:
            return x
        keep_prob = 1.0 - self.p
        if keep_prob == 0.0:
            return torch.zeros_like(x)
        mask = torch.bernoulli(torch.full_like(x, keep_prob))
        return x * mask / keep_prob
