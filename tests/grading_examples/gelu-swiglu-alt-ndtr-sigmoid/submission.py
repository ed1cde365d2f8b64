# quizdl drill: gelu-swiglu
"""GELU through torch.special.ndtr, the tanh form as a sigmoid (0.5·(1 + tanh z) = sigmoid(2z)),
SiLU through torch.special.expit, SwiGLU with the gate and up projections in one expression."""

import math

import torch
from torch import nn

K = math.sqrt(2.0 / math.pi)


def gelu(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    if approximate == "none":
        return x * torch.special.ndtr(x)
    return x * torch.sigmoid(2.0 * K * (x + 0.044715 * x * x * x))


def silu(x):
    return x * torch.special.expit(x)


class SwiGLU(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        return self.w2(silu(self.w1(x)) * self.w3(x))
