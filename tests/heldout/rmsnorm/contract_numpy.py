# quizdl drill: rmsnorm
# expect: numpy-returned
import numpy as np
import torch
import torch.nn as nn


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        a = x.detach().cpu().numpy()
        rms = np.sqrt(np.mean(a ** 2, axis=-1, keepdims=True) + self.eps)
        return a / rms * self.weight.detach().numpy()
