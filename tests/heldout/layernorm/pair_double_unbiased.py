# quizdl drill: layernorm
# expect: float64-statistics, unbiased-variance
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        xd = x.double()
        var, mean = torch.var_mean(xd, dim=-1, keepdim=True)
        return (xd - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
