"""Known mistake: p used as the keep probability."""

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
        keep = torch.rand_like(x) < self.p  # wrong: p is the probability of dropping, not keeping
        return x * keep / self.p
