"""Known mistake: torch.var's default unbiased variance (D - 1)."""

import torch


class LayerNorm(torch.nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(normalized_shape))
        self.bias = torch.nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True)  # wrong: unbiased (divides by D - 1)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
