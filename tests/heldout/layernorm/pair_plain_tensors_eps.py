# quizdl drill: layernorm
# expect: params-not-registered, eps-outside-sqrt
import torch
import torch.nn as nn


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = torch.ones(normalized_shape).requires_grad_()
        self.bias = torch.zeros(normalized_shape).requires_grad_()

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        sigma = (x - mu).pow(2).mean(-1, keepdim=True).sqrt()
        return (x - mu) / (sigma + self.eps) * self.weight + self.bias
