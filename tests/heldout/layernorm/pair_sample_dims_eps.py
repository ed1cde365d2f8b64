# quizdl drill: layernorm
# expect: all-non-batch-dims, eps-outside-sqrt
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        dims = tuple(range(1, x.dim()))
        mu = x.mean(dims, keepdim=True)
        sd = (x - mu).pow(2).mean(dims, keepdim=True).sqrt()
        return (x - mu) / (sd + self.eps) * self.weight + self.bias
