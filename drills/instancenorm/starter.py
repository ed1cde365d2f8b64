# quizdl drill: instancenorm
"""InstanceNorm2d from scratch: must match torch.nn.InstanceNorm2d for (N, C, H, W) or (C, H, W)
input.

Grade with: quizdl grade instancenorm.py
"""

import torch


class InstanceNorm2d(torch.nn.Module):
    """Instance normalisation: every channel of every image normalised on its own.

    affine=True: parameters self.weight (ones) and self.bias (zeros), nn.Parameter of shape (C,);
    affine=False: no parameters at all. Call super().__init__() first.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, affine: bool = False):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(x - mean) / sqrt(var + eps) per (image, channel), with the mean and biased variance
        of that channel's H x W values; then (affine) * weight + bias per channel. Behaves the
        same in train and eval mode. Differentiable in x, weight and bias. Returns a
        torch.Tensor of x's shape and dtype (float32 in, float32 out); x is not modified.
        """
        raise NotImplementedError
