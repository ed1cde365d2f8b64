"""Reference: inverted dropout, a fresh uniform mask per call, identity in eval, zeros at p = 1."""

import torch


class Dropout(torch.nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x  # eval mode: the identity
        if self.p == 0.0:
            return x  # nothing to drop (torch.nn.Dropout returns its input too)
        keep = torch.rand_like(x) >= self.p  # kept with probability 1 - p; a new mask per call
        mask = keep.to(x.dtype)
        y = x * mask
        if self.p == 1.0:
            return y  # everything dropped (rand < 1 always): zeros, never 0 / 0
        return y / (1.0 - self.p)  # inverted dropout: rescale the survivors now, not at eval
