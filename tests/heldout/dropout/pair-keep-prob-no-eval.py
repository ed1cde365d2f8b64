# quizdl drill: dropout
# expect: p-as-keep-prob, active-in-eval
import torch
from torch import nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.keep_prob = p

    def forward(self, x):
        mask = torch.rand(x.shape, dtype=x.dtype) < self.keep_prob
        return x * mask / self.keep_prob
