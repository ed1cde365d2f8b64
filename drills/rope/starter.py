# quizdl drill: rope
"""Rotary position embedding (RoPE) in the rotate-half layout, written by hand in PyTorch.

Grade with: quizdl grade rope.py
"""

import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    """Rotate the feature pairs (x[..., i], x[..., i + D/2]) of each row t by positions[t] * theta_i.

    Args:
        x: (..., T, D) with D even, e.g. (T, D), (B, T, D) or (B, H, T, D).
        positions: (T,) integer tensor, the absolute position of each row (P..P+T-1 after a
            cached prefix of P tokens).
        base: theta_i = base ** (-2i / D), i = 0 .. D/2 - 1.

    Returns:
        torch.Tensor with x's shape and dtype (cos/sin tables in x's precision):
        out[..., i] = x[..., i] cos(a) - x[..., i + D/2] sin(a),
        out[..., i + D/2] = x[..., i + D/2] cos(a) + x[..., i] sin(a), a = positions[t] * theta_i.
        Differentiable with respect to x; x and positions must not be modified.
    """
    raise NotImplementedError
