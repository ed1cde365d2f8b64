# quizdl drill: layernorm
# expect: pass
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        var, mu = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
        return (x - mu) * torch.rsqrt(var + self.eps) * self.weight + self.bias
