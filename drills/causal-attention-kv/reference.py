"""Reference: nanoGPT-style causal self-attention with a key/value cache.

qkv(x) splits into [q | k | v] (in that order) along the features; the heads are (B, H, T, hd);
the cache holds the keys and values of every position seen so far, (B, H, P, hd) each, and the new
ones are appended along the time axis. With P cached positions and T new tokens, query i (absolute
position P + i) may attend keys 0..P+i. Scores are scaled by 1/sqrt(head_dim).

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import math

import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        if d_model % n_heads != 0:
            raise ValueError("d_model must be a multiple of n_heads")
        self.d_model = d_model
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def _split_heads(self, t, B, T):
        return t.view(B, T, self.n_heads, self.head_dim).transpose(1, 2)  # (B, H, T, hd)

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(self.d_model, dim=-1)  # nanoGPT: [q | k | v]
        q = self._split_heads(q, B, T)
        k = self._split_heads(k, B, T)
        v = self._split_heads(v, B, T)
        if cache is not None:
            past_k, past_v = cache
            k = torch.cat([past_k, k], dim=2)  # along time: (B, H, P + T, hd)
            v = torch.cat([past_v, v], dim=2)
        new_cache = (k, v)
        S = k.shape[2]
        offset = S - T  # P: the cached positions before the new tokens
        rows = torch.arange(T, device=x.device).unsqueeze(1) + offset  # absolute query positions
        cols = torch.arange(S, device=x.device).unsqueeze(0)  # key positions
        allowed = cols <= rows  # query i may attend keys 0..P+i
        scale = 1.0 / math.sqrt(self.head_dim)  # the head dimension, not d_model
        scores = (q @ k.transpose(-2, -1)) * scale  # (B, H, T, S)
        scores = scores.masked_fill(~allowed, float("-inf"))
        weights = torch.softmax(scores, dim=-1)  # over the keys
        y = weights @ v  # (B, H, T, hd)
        y = y.transpose(1, 2).reshape(B, T, C)  # heads back side by side: (B, T, C)
        return self.proj(y), new_cache
