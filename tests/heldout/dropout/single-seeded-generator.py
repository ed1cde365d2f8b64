# quizdl drill: dropout
# expect: fixed-mask
import torch
import torch.nn as nn


class Dropout(nn.Module):
    def __init__(self, p=0.5, seed=1234):
        super().__init__()
        self.p = p
        self.seed = seed

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        gen = torch.Generator().manual_seed(self.seed)  # reproducible masks
        u = torch.rand(x.shape, generator=gen, dtype=x.dtype)
        return x * (u > self.p) / (1 - self.p)
