# quizdl drill: attention
# expect: unstable-softmax
import math


def scaled_dot_product_attention(q, k, v, mask=None):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    w = s.exp()
    w = w / w.sum(-1, keepdim=True)
    return w @ v
