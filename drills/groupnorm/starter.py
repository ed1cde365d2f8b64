# quizdl drill: groupnorm
"""GroupNorm from scratch: must match torch.nn.GroupNorm for (N, C, *) input.

Grade with: quizdl grade groupnorm.py
"""

import torch


class GroupNorm(torch.nn.Module):
    """Group normalisation of (N, C, *) input (any number of trailing dimensions, even none).

    Raises ValueError in __init__ when num_channels is not divisible by num_groups.
    affine=True: parameters self.weight (ones) and self.bias (zeros), nn.Parameter of shape (C,);
    affine=False: no parameters at all. No buffers. Call super().__init__() first.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Split each sample's channels into num_groups groups of C // num_groups consecutive
        channels; normalise each group with its own mean and biased variance,
        (x - mean) / sqrt(var + eps); then (affine) * weight + bias per channel.
        Differentiable in x, weight and bias. Returns a torch.Tensor of x's shape and dtype
        (float32 in, float32 out); x is not modified. Same in train and eval mode.
        """
        raise NotImplementedError
