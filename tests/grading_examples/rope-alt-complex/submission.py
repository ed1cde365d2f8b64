# quizdl drill: rope
"""A correct alternative: the rotate-half pairs as complex numbers x1 + i x2, multiplied by
exp(i * angle) (torch.polar), with the frequencies from exp(-2i/D * log(base))."""

import math

import torch


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    h = d // 2
    i = torch.arange(h, dtype=x.dtype)
    freqs = torch.exp(-(2.0 * i / d) * math.log(base))
    ang = torch.outer(positions.to(x.dtype), freqs)
    z = torch.complex(x[..., :h], x[..., h:])
    z = z * torch.polar(torch.ones_like(ang), ang)
    return torch.cat([z.real, z.imag], dim=-1)
