# quizdl drill: attention
"""Scaled dot-product attention, written by hand in PyTorch.

Grade with: quizdl grade attention.py
"""

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    """Same result as torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask).

    Args:
        q: queries, shape (..., L, d).
        k: keys, shape (..., S, d).
        v: values, shape (..., S, dv).
           The leading dimensions (...) are the same for q, k and v, and may be absent.
        mask: None, or a boolean tensor broadcastable to (..., L, S). True means "query i may
           attend to key j"; False positions get zero attention weight. Every query row has at
           least one True.

    Returns:
        Tensor of shape (..., L, dv): softmax(q @ k^T / sqrt(d)) @ v, the softmax taken over the
        keys. Must stay finite for large scores, and be differentiable with respect to q, k and v.
    """
    raise NotImplementedError
