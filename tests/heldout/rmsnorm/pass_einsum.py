# quizdl drill: rmsnorm
# expect: pass
import torch


class RMSNorm(torch.nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.full((dim,), 1.0))

    def forward(self, x):
        d = x.shape[-1]
        ss = torch.einsum("...i,...i->...", x, x).unsqueeze(-1)
        return torch.einsum("...i,i->...i", x / (ss / d + self.eps).sqrt(), self.weight)
