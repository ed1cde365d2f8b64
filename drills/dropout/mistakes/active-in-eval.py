"""Known mistake: dropout still applied in eval mode."""

import torch


class Dropout(torch.nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.p == 0.0:  # wrong: dropout must be the identity in eval mode
            return x
        if self.p == 1.0:
            return x * 0.0  # everything dropped; avoids 0 * (1 / 0) = NaN
        keep = torch.rand_like(x) >= self.p  # kept with probability 1 - p, a fresh mask per call
        return x * keep / (1.0 - self.p)  # inverted dropout: rescale survivors now, not at eval
