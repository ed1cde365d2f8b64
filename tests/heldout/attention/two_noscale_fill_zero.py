# quizdl drill: attention
# expect: no-scale, mask-fill-zero
import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.matmul(q, k.transpose(-2, -1))
    if mask is not None:
        scores = scores * mask  # zero out the blocked scores
    return torch.matmul(torch.softmax(scores, dim=-1), v)
