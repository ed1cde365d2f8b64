"""Reference: scores scaled by 1/sqrt(d_k), False mask positions set to -inf before the softmax,
softmax over the keys; the inputs are left alone and the result keeps their dtype.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    d_k = q.shape[-1]
    scale = 1.0 / math.sqrt(d_k)  # the key (= query) dimension, not v's
    scores = q @ k.transpose(-2, -1)  # (..., L, S)
    scores = scores * scale  # a new tensor: the caller's q and k stay untouched
    if mask is not None:
        blocked = ~mask  # True = may attend, so the False positions are blocked
        fill = float("-inf")  # exactly zero weight after the softmax
        scores = scores.masked_fill(blocked, fill)
    weights = torch.softmax(scores, dim=-1)  # over the keys; torch.softmax subtracts the row max
    out = weights @ v  # (..., L, dv)
    return out
