# quizdl drill: attention
# expect: scale-in-place, scale-by-d


def scaled_dot_product_attention(q, k, v, mask=None):
    q.div_(q.shape[-1])
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores.masked_fill_(~mask, float("-inf"))
    return scores.softmax(dim=-1) @ v
