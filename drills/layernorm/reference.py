"""Reference: mean and biased variance over the last dimension, then the affine weight and bias.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


class LayerNorm(torch.nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        self.normalized_shape = normalized_shape
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(normalized_shape))
        self.bias = torch.nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dims = (-1,)  # nn.LayerNorm(D) normalises over the last dimension only
        mean = x.mean(dim=dims, keepdim=True)
        centred = x - mean  # a new tensor: the caller's x stays untouched
        var = centred.pow(2).mean(dim=dims, keepdim=True)  # biased (divide by D), like nn.LayerNorm
        std = torch.sqrt(var + self.eps)
        xhat = centred / std
        y = xhat * self.weight + self.bias
        return y
