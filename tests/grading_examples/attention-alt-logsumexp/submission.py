# quizdl drill: attention
"""A correct solution written differently: the softmax as exp(s - logsumexp(s)). In float32 its
gradients differ from torch.softmax's by more than a fixed 1e-5, but no more than PyTorch's own
F.scaled_dot_product_attention does: the measured float32 budget lets it pass."""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.size(-1))
    if mask is not None:
        s = s.masked_fill(mask.logical_not(), float("-inf"))
    w = torch.exp(s - torch.logsumexp(s, dim=-1, keepdim=True))
    return torch.matmul(w, v)
