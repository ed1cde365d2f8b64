# quizdl drill: dropout
# expect: pass
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        self.p = p

    def forward(self, inp):
        if not self.training:
            return inp
        if self.p >= 1.0:
            return torch.zeros_like(inp)
        u = torch.rand_like(inp)
        scaled = inp * (1.0 / (1.0 - self.p))
        return torch.where(u >= self.p, scaled, torch.zeros_like(scaled))
