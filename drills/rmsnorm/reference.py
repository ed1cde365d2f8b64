"""Reference: divide by the root mean square over the last dimension, then scale by weight.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


class RMSNorm(torch.nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.dim = dim
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # no mean is subtracted: RMSNorm only rescales
        squares = x.pow(2)
        mean_square = squares.mean(dim=-1, keepdim=True)  # over the last dimension only
        rms = torch.sqrt(mean_square + self.eps)
        y = x / rms  # a new tensor: the caller's x stays untouched
        out = y * self.weight
        return out
