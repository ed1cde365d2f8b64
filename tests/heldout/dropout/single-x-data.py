# quizdl drill: dropout
# expect: detached-input
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
        mask = torch.empty_like(x).bernoulli_(1 - self.p)
        return x.data * mask / (1 - self.p)
