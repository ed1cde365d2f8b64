# quizdl drill: attention
# expect: scale-by-sqrt-dv
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    d_model = v.size(-1)
    att = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(d_model)
    if mask is not None:
        att = att.masked_fill(~mask, float("-inf"))
    att = torch.softmax(att, dim=-1)
    return torch.matmul(att, v)
