# quizdl drill: gqa
"""A correct alternative: no copies of k and v; the query heads are viewed as (Hkv, group) and
einsum contracts against the shared kv head. The mask becomes an additive bias (0 / -inf)."""

import torch


def grouped_query_attention(q, k, v, mask=None):
    b, hq, n_q, d = q.shape
    hkv = k.shape[1]
    if hq % hkv != 0:
        raise ValueError(f"{hq} query heads cannot be grouped over {hkv} kv heads: not a multiple")
    g = hq // hkv
    qg = q.reshape(b, hkv, g, n_q, d)
    scores = torch.einsum("bkgld,bksd->bkgls", qg, k) * d ** -0.5
    scores = scores.reshape(b, hq, n_q, k.shape[2])
    if mask is not None:
        zero = torch.zeros((), dtype=q.dtype)
        scores = scores + torch.where(mask, zero, torch.tensor(float("-inf"), dtype=q.dtype))
    p = torch.softmax(scores, dim=-1).reshape(b, hkv, g, n_q, -1)
    return torch.einsum("bkgls,bksd->bkgld", p, v).reshape(b, hq, n_q, d)
