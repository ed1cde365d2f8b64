# quizdl drill: se-block
"""Squeeze-and-Excitation block (Hu et al. 2018), written by hand in PyTorch.

Grade with: quizdl grade se-block.py
"""

import torch
from torch import nn


class SEBlock(nn.Module):
    """Channel attention: y = x with every channel of every sample multiplied by a learnt gate.

    squeeze: one number per sample and channel from its (H, W) map (global average pooling);
    excitation: fc1 -> ReLU -> fc2 -> a gate in (0, 1) per channel, independent of the others;
    rescale: x times the gates.

    Layers (loaded by name by the grader, so the names and shapes must be exactly these):
        fc1 = nn.Linear(channels, channels // reduction)   (with bias)
        fc2 = nn.Linear(channels // reduction, channels)   (with bias)

    forward(x): x of shape (N, C, H, W) -> tensor of the same shape and dtype. Autograd must reach
    x, fc1 and fc2. x belongs to the caller: do not modify it in place.
    """

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
