"""Known mistake: p = 1 not handled, 0 / 0 gives NaN."""

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
        return x * keep / (1.0 - self.p)  # wrong at p = 1: 0 * (1 / 0) gives NaN
