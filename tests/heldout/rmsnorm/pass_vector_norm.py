# quizdl drill: rmsnorm
# expect: pass
import math

import torch
from torch import nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.dim, self.eps = dim, eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        # ||x|| / sqrt(d) is the RMS; square it back to add eps inside the root
        rms = torch.linalg.vector_norm(x, ord=2, dim=-1, keepdim=True) / math.sqrt(self.dim)
        return x / torch.sqrt(rms * rms + self.eps) * self.weight
