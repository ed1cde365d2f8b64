# quizdl drill: layernorm
# expect: all-non-batch-dims
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        # one mean and variance per sample
        axes = list(range(1, x.ndim))
        mu = x.mean(dim=axes, keepdim=True)
        var = ((x - mu) ** 2).mean(dim=axes, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
