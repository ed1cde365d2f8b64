# quizdl drill: attention
# expect: pass
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    q = q * torch.rsqrt(torch.tensor(q.shape[-1], dtype=q.dtype))
    scores = q @ k.mT
    if mask is not None:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    row_max = scores.max(dim=-1, keepdim=True).values
    e = torch.exp(scores - row_max)
    return (e / e.sum(dim=-1, keepdim=True)) @ v
