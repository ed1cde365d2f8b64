"""Reference: GELU (Hendrycks & Gimpel, 2016) exact and tanh-approximated as torch.nn.functional.gelu
computes them, SiLU = x * sigmoid(x), and LLaMA's SwiGLU feed-forward w2(silu(w1 x) * w3 x).

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import math

import torch
from torch import nn


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    if approximate == "tanh":
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
        return 0.5 * x * (1.0 + torch.tanh(inner))
    cdf = 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))  # Φ(x), the standard normal CDF
    return x * cdf


def silu(x: torch.Tensor) -> torch.Tensor:
    return x * torch.sigmoid(x)  # torch.sigmoid is stable for large |x|, values and gradients


class SwiGLU(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)  # gate projection
        self.w2 = nn.Linear(hidden, dim, bias=False)  # down (output) projection
        self.w3 = nn.Linear(dim, hidden, bias=False)  # up projection

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = silu(self.w1(x))
        up = self.w3(x)
        return self.w2(gate * up)
