# quizdl drill: attention
# expect: scale-by-d
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q.matmul(k.transpose(-2, -1)) / d
    if mask is not None:
        scores = torch.where(mask, scores, float("-inf"))
    return torch.softmax(scores, -1).matmul(v)
