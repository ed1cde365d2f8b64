# quizdl drill: attention
"""Scaled dot-product attention, written by hand in PyTorch.

Grade with: quizdl grade attention.py
"""

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    """Same result as torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask).

    Args:
        q: queries, shape (..., L, d_k).
        k: keys, shape (..., S, d_k).
        v: values, shape (..., S, d_v).
           The leading dimensions (...) are the same for q, k and v, and may be absent.
        mask: None, or a boolean tensor broadcastable to (..., L, S). True means "query i may
           attend to key j"; False positions get zero attention weight. Every query row has at
           least one True.

    Returns:
        torch.Tensor of shape (..., L, d_v), in the inputs' dtype: softmax(q @ k^T / sqrt(d_k)) @ v,
        the softmax taken over the keys (d_k = q.shape[-1]). Must stay finite for large scores, and
        be differentiable with respect to q, k and v. q, k, v and mask belong to the caller: do not
        modify them in place.
    """
    raise NotImplementedError
