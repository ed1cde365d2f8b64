"""Reference: inverted dropout with a fresh uniform mask per call; identity in eval; p = 1 gives zeros."""

import torch


class Dropout(torch.nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * 0.0  # everything dropped; avoids 0 * (1 / 0) = NaN
        keep = torch.rand_like(x) >= self.p  # kept with probability 1 - p, a fresh mask per call
        return x * keep / (1.0 - self.p)  # inverted dropout: rescale survivors now, not at eval
