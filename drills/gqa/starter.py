# quizdl drill: gqa
"""Grouped-query attention, written by hand in PyTorch.

Grade with: quizdl grade gqa.py
"""

import torch


def grouped_query_attention(q, k, v, mask=None):
    """Attention where query head h uses key/value head h // (Hq // Hkv).

    Args:
        q: (B, Hq, L, D) queries.
        k, v: (B, Hkv, S, D) keys and values; Hq must be a multiple of Hkv (else ValueError).
        mask: None, or a boolean tensor broadcastable to (B, Hq, L, S); True = may attend.

    Returns:
        torch.Tensor (B, Hq, L, D) in the inputs' dtype: per head softmax(q @ k^T / sqrt(D)) @ v,
        the softmax over the keys. Differentiable with respect to q, k and v; the inputs must not
        be modified in place.
    """
    raise NotImplementedError
