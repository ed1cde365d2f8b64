"""Known mistake: the mean is subtracted first (LayerNorm without a bias)."""

import torch


class RMSNorm(torch.nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # wrong: subtracting the mean turns this into LayerNorm without a bias
        xc = x - x.mean(dim=-1, keepdim=True)
        return xc / torch.sqrt(xc.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight
