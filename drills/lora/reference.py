"""Reference: LoRA (Hu et al., 2021) around a frozen nn.Linear, initialised as loralib and PEFT do
(A Kaiming-uniform like nn.Linear's own weight, B zeros), scaled by alpha / r, with an exact
merge into the base weight and its inverse.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float):
        super().__init__()
        self.base = base
        self.base.weight.requires_grad_(False)  # the pretrained weight is frozen
        if self.base.bias is not None:
            self.base.bias.requires_grad_(False)  # and so is its bias
        self.r = r
        self.alpha = alpha
        self.scaling = alpha / r
        out_features, in_features = base.weight.shape
        factory = {"dtype": base.weight.dtype, "device": base.weight.device}
        self.A = nn.Parameter(torch.empty(r, in_features, **factory))  # (r, in): down-projection
        self.B = nn.Parameter(torch.empty(out_features, r, **factory))  # (out, r): up-projection
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # like nn.Linear's weight: U(±1/sqrt(in))
        nn.init.zeros_(self.B)  # B A = 0: the layer starts as the base layer
        self.merged = False

    def delta_weight(self) -> torch.Tensor:
        return self.scaling * (self.B @ self.A)  # (out, in), like base.weight

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.base(x)
        if self.merged:
            return y  # the update is inside base.weight already
        h = x @ self.A.T  # (..., r)
        return y + self.scaling * (h @ self.B.T)

    @torch.no_grad()
    def merge(self) -> None:
        if self.merged:
            return
        self.base.weight.add_(self.delta_weight())
        self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if not self.merged:
            return
        self.base.weight.sub_(self.delta_weight())
        self.merged = False
