"""Reference: scores scaled by 1/sqrt(d), False mask positions set to -inf, softmax over the keys."""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., L, S)
    if mask is not None:
        # True = may attend; the rest get -inf, hence exactly zero weight after the softmax.
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # over the keys; torch.softmax subtracts the row max
    return weights @ v
