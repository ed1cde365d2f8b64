# quizdl drill: layernorm
# expect: pass
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        self.d = normalized_shape
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.d))
        self.bias = nn.Parameter(torch.zeros(self.d))

    def forward(self, x):
        # first pass: the mean; second pass: the mean squared deviation
        mu = x.sum(dim=-1, keepdim=True) / self.d
        dev = x - mu
        sigma2 = (dev ** 2).sum(dim=-1, keepdim=True) / self.d
        inv = 1.0 / torch.sqrt(sigma2 + self.eps)
        return self.weight * (dev * inv) + self.bias
