# quizdl drill: attention
# expect: pass
import math


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
    scores = scores - scores.amax(dim=-1, keepdim=True)
    w = scores.exp()
    if mask is not None:
        w = w * mask  # zero the blocked keys, then renormalise the rows
    w = w / w.sum(dim=-1, keepdim=True)
    return w @ v
