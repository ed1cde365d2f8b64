# quizdl drill: attention
# expect: pass
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    *lead, L, d = q.shape
    S, dv = k.shape[-2], v.shape[-1]
    qf = q.reshape(-1, L, d)
    kf = k.reshape(-1, S, d)
    vf = v.reshape(-1, S, dv)
    scores = torch.bmm(qf, kf.transpose(1, 2)).reshape(*lead, L, S) / math.sqrt(d)
    if mask is not None:
        scores = scores.masked_fill(~mask.bool(), float("-inf"))
    weights = torch.log_softmax(scores, dim=-1).exp().reshape(-1, L, S)
    return torch.bmm(weights, vf).reshape(*lead, L, dv)
