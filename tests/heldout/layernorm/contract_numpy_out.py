# quizdl drill: layernorm
# expect: numpy-returned
import numpy as np
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, x):
        a = x.detach().numpy()
        mu = a.mean(axis=-1, keepdims=True)
        var = a.var(axis=-1, keepdims=True)
        w = self.weight.detach().numpy()
        b = self.bias.detach().numpy()
        return (a - mu) / np.sqrt(var + self.eps) * w + b
