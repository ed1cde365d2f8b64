# quizdl drill: attention
# expect: scale-by-sqrt-dv, unstable-softmax
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    logits = q @ k.transpose(-1, -2) / math.sqrt(v.shape[-1])
    if mask is not None:
        logits = logits.masked_fill(mask.logical_not(), float("-inf"))
    e = torch.exp(logits)
    return (e / torch.sum(e, dim=-1, keepdim=True)) @ v
