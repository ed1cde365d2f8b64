# quizdl drill: attention
# expect: inverted-mask
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.einsum("...qd,...kd->...qk", q, k) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(mask, -1e9)  # mask out the marked positions
    return torch.einsum("...qk,...kd->...qd", scores.softmax(-1), v)
