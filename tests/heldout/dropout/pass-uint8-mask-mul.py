# quizdl drill: dropout
# expect: pass
import torch


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError("p must be a probability")
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        mask = (torch.rand(*x.shape, dtype=x.dtype) > self.p).to(x.dtype)
        return x.mul(mask).div(1 - self.p)
