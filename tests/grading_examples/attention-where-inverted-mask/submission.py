# quizdl drill: attention
"""A typical error written its own way: torch.where puts -inf where the mask is True, reading True
as "masked out" (diagnosed as inverted-mask)."""

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.matmul(q, k.transpose(-1, -2)) / q.size(-1) ** 0.5
    if mask is not None:
        scores = torch.where(mask, torch.full_like(scores, float("-inf")), scores)
    return torch.matmul(scores.softmax(dim=-1), v)
