# quizdl drill: dropout
# expect: no-rescale, fixed-mask
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        g = torch.Generator()
        g.manual_seed(0)
        mask = torch.rand(x.size(), generator=g) >= self.p
        return x * mask.to(x.dtype)
