# quizdl drill: se-block
"""A correct SE block in another style: adaptive pooling, the layers called through F.linear,
a hand-written logistic gate and broadcasting by unsqueeze."""

import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn


class SEBlock(nn.Module):
    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        squeezed = channels // reduction
        self.fc1 = nn.Linear(channels, squeezed)
        self.fc2 = nn.Linear(squeezed, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        desc = F.adaptive_avg_pool2d(x, output_size=1).flatten(start_dim=1)
        hidden = F.linear(desc, self.fc1.weight, self.fc1.bias).clamp(min=0)
        logits = F.linear(hidden, self.fc2.weight, self.fc2.bias)
        gates = 1.0 / (1.0 + torch.exp(-logits))
        return x * gates.unsqueeze(-1).unsqueeze(-1)
