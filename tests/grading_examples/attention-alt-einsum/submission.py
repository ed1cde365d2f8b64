# quizdl drill: attention
"""A correct solution written differently: einsum, a hand-written max-subtracted softmax, and the
mask applied as an additive 0 / -inf bias built with torch.where."""

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.einsum("...ld,...sd->...ls", q, k) * q.shape[-1] ** -0.5
    if mask is not None:
        neg_inf = torch.tensor(float("-inf"), dtype=scores.dtype)
        scores = scores + torch.where(mask, torch.zeros((), dtype=scores.dtype), neg_inf)
    scores = scores - scores.amax(dim=-1, keepdim=True).detach()
    w = scores.exp()
    w = w / w.sum(dim=-1, keepdim=True)
    return torch.einsum("...ls,...sd->...ld", w, v)
