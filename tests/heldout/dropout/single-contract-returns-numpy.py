# quizdl drill: dropout
# expect: returns-numpy
import numpy as np
import torch


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        if self.p == 1.0:
            return np.zeros(tuple(x.shape), dtype=np.float32)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return keep * x / (1.0 - self.p)
