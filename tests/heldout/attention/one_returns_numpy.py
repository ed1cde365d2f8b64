# quizdl drill: attention
# expect: returns-numpy
import numpy as np
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, -np.inf)
    out = torch.softmax(scores, dim=-1) @ v
    return out.detach().cpu().numpy()
