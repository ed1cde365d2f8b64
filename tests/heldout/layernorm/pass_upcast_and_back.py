# quizdl drill: layernorm
# expect: pass
import torch
from torch import nn


class LayerNorm(nn.Module):
    """Statistics in float64, result cast back to the input's dtype."""

    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        h = x.double()
        mu = h.mean(dim=-1, keepdim=True)
        var = ((h - mu) ** 2).mean(dim=-1, keepdim=True)
        y = ((h - mu) / torch.sqrt(var + self.eps)).to(x.dtype)
        return y * self.weight + self.bias
