"""Reference: rotary position embedding (RoPE) in the rotate-half layout (GPT-NeoX, Hugging Face
LLaMA): feature i is paired with feature i + D/2, and the pair is rotated by the angle
position * theta_i with theta_i = base ** (-2i / D), i = 0 .. D/2 - 1. The cos/sin tables are
computed in x's dtype, from the positions given (a cached prefix shifts them).

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch


def apply_rope(x, positions, base=10000.0):
    d = x.shape[-1]
    if d % 2:
        raise ValueError("the last dimension of x must be even")
    half = d // 2
    exponent = torch.arange(0, d, 2, dtype=x.dtype, device=x.device) / d  # 2i/D, i = 0..D/2-1
    inv_freq = 1.0 / (base ** exponent)  # theta_i = base^(-2i/D)
    pos = positions.to(x.dtype)  # the absolute positions, not 0..T-1
    angles = pos[:, None] * inv_freq[None, :]  # (T, D/2)
    emb = torch.cat((angles, angles), dim=-1)  # (T, D): features i and i + D/2 share theta_i
    cos = emb.cos()
    sin = emb.sin()
    x1 = x[..., :half]
    x2 = x[..., half:]
    rotated = torch.cat((-x2, x1), dim=-1)  # rotate_half(x)
    out = x * cos  # new tensors: the caller's x stays untouched
    out = out + rotated * sin
    return out
