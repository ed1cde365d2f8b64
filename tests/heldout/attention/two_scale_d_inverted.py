# quizdl drill: attention
# expect: scale-by-d, inverted-mask
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.einsum("...ld,...sd->...ls", q, k) / q.shape[-1]
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    return torch.einsum("...ls,...sd->...ld", torch.softmax(scores, dim=-1), v)
