# quizdl drill: lora
"""LoRA written with F.linear, an explicit uniform init and .data updates for merge/unmerge."""

import math

import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float):
        super().__init__()
        for p in base.parameters():
            p.requires_grad = False
        self.base = base
        self.s = alpha / r
        w = base.weight
        bound = 1.0 / math.sqrt(w.shape[1])  # kaiming_uniform_(a=sqrt(5)) == U(-1/sqrt(fan_in), ...)
        self.register_parameter("A", nn.Parameter(torch.empty(r, w.shape[1], dtype=w.dtype).uniform_(-bound, bound)))
        self.register_parameter("B", nn.Parameter(w.new_zeros(w.shape[0], r)))
        self._merged = False

    def forward(self, x):
        out = F.linear(x, self.base.weight, self.base.bias)
        if not self._merged:
            out = out + self.s * torch.einsum("...r,or->...o", F.linear(x, self.A), self.B)
        return out

    def merge(self):
        if not self._merged:
            self.base.weight.data.addmm_(self.B.data, self.A.data, alpha=self.s)
            self._merged = True

    def unmerge(self):
        if self._merged:
            self.base.weight.data.addmm_(self.B.data, self.A.data, alpha=-self.s)
            self._merged = False
