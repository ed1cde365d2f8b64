# quizdl drill: attention
# expect: mask-after-softmax
import torch.nn.functional as F


def scaled_dot_product_attention(q, k, v, mask=None):
    scale = q.shape[-1] ** 0.5
    probs = F.softmax(q @ k.transpose(-1, -2) / scale, dim=-1)
    if mask is not None:
        probs = probs * mask.to(probs.dtype)
    return probs @ v
