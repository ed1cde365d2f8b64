"""Reference: mean and biased variance over the last dimension, then the affine weight and bias."""

import torch


class LayerNorm(torch.nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        self.normalized_shape = normalized_shape
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(normalized_shape))
        self.bias = torch.nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)  # biased, like torch.nn.LayerNorm
        xhat = (x - mean) / torch.sqrt(var + self.eps)
        return xhat * self.weight + self.bias
