# quizdl drill: attention
# expect: pass
import math

import torch.nn.functional as F


def scaled_dot_product_attention(q, k, v, mask=None):
    # compute in double precision, hand back the caller's dtype
    dtype = q.dtype
    qd, kd, vd = q.double(), k.double(), v.double()
    scores = qd @ kd.transpose(-2, -1) / math.sqrt(qd.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(mask == 0, float("-inf"))
    out = F.softmax(scores, dim=-1) @ vd
    return out.to(dtype)
