# quizdl drill: rmsnorm
"""RMSNorm over the last dimension, written by hand in PyTorch.

Grade with: quizdl grade rmsnorm.py
"""

import torch


class RMSNorm(torch.nn.Module):
    """Same behaviour as torch.nn.functional.rms_norm(x, (dim,), self.weight, self.eps).

    y = x / sqrt(mean(x ** 2) + eps) * weight, with the mean taken over the last dimension of x
    (which has size dim). No mean is subtracted and there is no bias. x may have any number of
    leading dimensions.

    Parameter (torch.nn.Parameter, shape (dim,)):
        weight: initialised to ones.

    Autograd must flow to x and weight (use differentiable torch operations).
    """

    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
