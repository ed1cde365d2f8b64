# quizdl drill: dropout
# expect: eval-scaled
import torch


class Dropout(torch.nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        q = 1.0 - self.p
        if not self.training:
            return x * q  # expected value at test time
        if q == 0.0:
            return torch.zeros_like(x)
        m = (torch.rand_like(x) >= self.p).to(x.dtype)
        return m * x / q
