"""Reference: grouped-query attention. Query head h uses key/value head h // (n_heads //
n_kv_heads): each kv head is repeated for its group of consecutive query heads
(repeat_interleave), then it is scaled dot-product attention with the scale 1/sqrt(D), a boolean
mask (True = may attend) applied as -inf before the softmax, and the softmax over the keys.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import math

import torch


def grouped_query_attention(q, k, v, mask=None):
    n_heads = q.shape[1]
    n_kv = k.shape[1]
    if n_heads % n_kv != 0:
        raise ValueError(f"n_heads ({n_heads}) must be a multiple of n_kv_heads ({n_kv})")
    group = n_heads // n_kv
    k = k.repeat_interleave(group, dim=1)  # (B, Hq, S, D): kv head j serves heads j*group ...
    v = v.repeat_interleave(group, dim=1)
    scale = 1.0 / math.sqrt(q.shape[-1])  # the head dimension D
    scores = q @ k.transpose(-2, -1)  # (B, Hq, L, S)
    scores = scores * scale  # a new tensor: the caller's q stays untouched
    if mask is not None:
        blocked = ~mask  # True = may attend, so the False positions are blocked
        scores = scores.masked_fill(blocked, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # over the keys
    out = weights @ v  # (B, Hq, L, D)
    return out
