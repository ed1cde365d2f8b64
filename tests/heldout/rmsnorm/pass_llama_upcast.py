# quizdl drill: rmsnorm
# expect: pass
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    """LLaMA-style: normalise in higher precision, then back to the input dtype."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, h):
        return h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        out = self._norm(x.double()).type_as(x)
        return out * self.weight
