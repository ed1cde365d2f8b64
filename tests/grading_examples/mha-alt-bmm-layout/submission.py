# quizdl drill: mha
"""A correct multi-head attention in torch's own layout: heads folded into the batch
((N * heads, L, d) tensors and bmm), boolean masks applied with masked_fill, the scale folded into
the query, the projections done as one matmul on the packed weight when query is key is value."""

import math

import torch
from torch import nn


def _apply(scores, mask):
    if mask.dtype == torch.bool:  # True = not allowed
        return scores.masked_fill(mask, float("-inf"))
    return scores + mask


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True):
        super().__init__()
        assert embed_dim % num_heads == 0
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        nn.init.xavier_uniform_(self.in_proj_weight)
        if bias:
            self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def _proj(self, x, i):
        E = self.embed_dim
        w = self.in_proj_weight[i * E:(i + 1) * E]
        y = torch.einsum("nte,fe->ntf", x, w)
        if self.in_proj_bias is not None:
            y = y + self.in_proj_bias[i * E:(i + 1) * E]
        return y

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None,
                need_weights=True, average_attn_weights=True):
        N, L, E = query.shape
        S = key.shape[1]
        H = self.num_heads
        d = E // H
        if query is key and key is value:
            packed = query @ self.in_proj_weight.t()
            if self.in_proj_bias is not None:
                packed = packed + self.in_proj_bias
            q, k, v = packed.split(E, dim=-1)
        else:
            q, k, v = self._proj(query, 0), self._proj(key, 1), self._proj(value, 2)

        def fold(t):  # (N, T, E) -> (N * H, T, d), row b * H + h
            return t.unflatten(-1, (H, d)).permute(0, 2, 1, 3).reshape(N * H, t.shape[1], d)

        q = fold(q) * math.sqrt(1.0 / d)
        k, v = fold(k), fold(v)
        scores = torch.bmm(q, k.transpose(1, 2))  # (N * H, L, S)
        if attn_mask is not None:
            scores = _apply(scores, attn_mask if attn_mask.dim() == 3 else attn_mask.unsqueeze(0))
        if key_padding_mask is not None:
            scores = _apply(scores, key_padding_mask.repeat_interleave(H, dim=0).unsqueeze(1))  # (N*H, 1, S)
        probs = scores.softmax(dim=-1)
        ctx = torch.bmm(probs, v).view(N, H, L, d).transpose(1, 2).reshape(N, L, E)
        out = self.out_proj(ctx)
        if not need_weights:
            return out, None
        probs = probs.view(N, H, L, S)
        return out, (probs.mean(dim=1) if average_attn_weights else probs)
