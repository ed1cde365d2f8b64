"""Known mistake: a hand-written softmax without subtracting the row maximum."""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    e = torch.exp(scores)  # wrong: no max subtraction, overflows to inf for large scores
    return (e / e.sum(dim=-1, keepdim=True)) @ v
