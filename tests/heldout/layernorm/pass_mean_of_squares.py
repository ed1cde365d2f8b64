# quizdl drill: layernorm
# expect: pass
# variance as E[x^2] - E[x]^2 (one pass over the data)
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        m1 = x.mean(-1, keepdim=True)
        m2 = (x * x).mean(-1, keepdim=True)
        var = m2 - m1 * m1
        return (x - m1) / torch.sqrt(var + self.eps) * self.weight + self.bias
