"""Reference: squeeze = global average pool over H and W, excitation = fc1 -> ReLU -> fc2 ->
sigmoid (one weight in (0, 1) per sample and channel), rescale = x times those weights.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch
from torch import nn


class SEBlock(nn.Module):
    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        hidden = channels // reduction  # the bottleneck: C -> C // r -> C
        self.fc1 = nn.Linear(channels, hidden)  # with a bias, as in the authors' released models
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c = x.shape[0], x.shape[1]
        z = x.mean(dim=(2, 3))  # squeeze: one average per sample and channel, (N, C)
        h = self.fc1(z)
        h = torch.relu(h)
        s = self.fc2(h)
        s = torch.sigmoid(s)  # excitation: independent gates in (0, 1), not a softmax
        s = s.reshape(n, c, 1, 1)
        y = x * s  # rescale: a new tensor, the caller's x stays untouched
        return y
