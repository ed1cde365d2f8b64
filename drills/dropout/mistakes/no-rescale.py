"""Known mistake: survivors not rescaled by 1 / (1 - p) (vanilla dropout)."""

import torch


class Dropout(torch.nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        keep = torch.rand_like(x) >= self.p
        return x * keep  # wrong: survivors must be scaled by 1 / (1 - p)
