# quizdl drill: causal-attention-kv
"""A correct alternative: the cache is a dict of (B, T, d_model) keys/values kept before the head
split (concatenated along dim=1), an additive -inf bias from triu, and einsum for the products."""

import math

import torch
import torch.nn as nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x, cache=None):
        b, t, c = x.shape
        h = self.n_heads
        d = c // h
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        if cache is not None:
            k = torch.cat((cache["k"], k), dim=1)
            v = torch.cat((cache["v"], v), dim=1)
        s = k.shape[1]
        qh = q.reshape(b, t, h, d)
        kh = k.reshape(b, s, h, d)
        vh = v.reshape(b, s, h, d)
        att = torch.einsum("bthd,bshd->bhts", qh, kh) / math.sqrt(d)
        bias = torch.full((t, s), float("-inf"), dtype=x.dtype).triu(diagonal=s - t + 1)
        att = (att + bias).softmax(dim=-1)
        out = torch.einsum("bhts,bshd->bthd", att, vh).reshape(b, t, c)
        return self.proj(out), {"k": k, "v": v}
