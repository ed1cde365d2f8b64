# quizdl drill: layernorm
# expect: bias-before-weight
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        var, mean = torch.var_mean(x, -1, keepdim=True, correction=0)
        normed = (x - mean) / torch.sqrt(var + self.eps)
        return self.weight * (normed + self.bias)
