# quizdl drill: dropout
# expect: scale-by-p
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            keep = torch.bernoulli(torch.full_like(x, 1 - self.p))
            return x * keep * self.p
        return x
