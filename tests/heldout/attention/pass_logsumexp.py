# quizdl drill: attention
# expect: pass
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.size(-1))
    if mask is not None:
        s = s.masked_fill(torch.logical_not(mask), -math.inf)
    p = torch.exp(s - torch.logsumexp(s, dim=-1, keepdim=True))
    return torch.matmul(p, v)
