# quizdl drill: attention
# expect: pass
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    dk = q.shape[-1]
    logits = torch.einsum("...id,...jd->...ij", q, k) * dk ** -0.5
    if mask is not None:
        bias = torch.zeros_like(logits).masked_fill(~mask, -1e9)
        logits = logits + bias
    attn = logits.softmax(dim=-1)
    return torch.einsum("...ij,...jd->...id", attn, v)
