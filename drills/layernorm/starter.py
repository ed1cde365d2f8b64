# quizdl drill: layernorm
"""Layer normalisation over the last dimension, written by hand in PyTorch.

Grade with: quizdl grade layernorm.py
"""

import torch


class LayerNorm(torch.nn.Module):
    """Same behaviour as torch.nn.LayerNorm(normalized_shape) for an int normalized_shape.

    y = (x - mean) / sqrt(var + eps) * weight + bias, with mean and *biased* variance taken over the
    last dimension of x (which has size normalized_shape). x may have any number of leading
    dimensions: (D,), (N, D), (N, T, D), (N, C, H, D) ...

    Parameters (torch.nn.Parameter, shape (normalized_shape,)):
        weight: initialised to ones.
        bias: initialised to zeros.

    Autograd must flow to x, weight and bias (use differentiable torch operations).
    """

    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
