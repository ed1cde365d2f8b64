"""Reference: torch.nn.MultiheadAttention(embed_dim, num_heads, bias, batch_first=True) by hand.

The packed in_proj_weight holds the q, k and v projections in that order (rows [0, E), [E, 2E),
[2E, 3E)); each head takes a contiguous slice of head_dim = E // num_heads features; the scores
are scaled by 1 / sqrt(head_dim); masks are additive biases (bool True = not allowed -> -inf);
the softmax runs over the keys; the heads are put back side by side and mixed by out_proj; the
returned weights are averaged over the heads unless average_attn_weights=False.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import math

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812


def _additive(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """A mask as a bias added to the scores."""
    if mask.dtype == torch.bool:
        blocked = mask  # True = NOT allowed (nn.MultiheadAttention; the opposite of F.sdpa)
        return torch.zeros(mask.shape, dtype=dtype).masked_fill(blocked, float("-inf"))
    return mask.to(dtype)  # a float mask is added as it is


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True):
        super().__init__()
        if embed_dim % num_heads != 0:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        if bias:
            self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        nn.init.xavier_uniform_(self.in_proj_weight)  # torch's initialisation
        if bias:
            nn.init.zeros_(self.out_proj.bias)

    def _split_heads(self, t: torch.Tensor) -> torch.Tensor:
        n, length, _ = t.shape
        t = t.reshape(n, length, self.num_heads, self.head_dim)  # head h: features [h*d, (h+1)*d)
        return t.transpose(1, 2)  # (N, heads, length, head_dim)

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None,
                need_weights=True, average_attn_weights=True):
        n, tgt_len, e = query.shape
        src_len = key.shape[1]
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)  # rows [0, E): q, [E, 2E): k, [2E, 3E): v
        b_q = b_k = b_v = None
        if self.in_proj_bias is not None:
            b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        q = self._split_heads(F.linear(query, w_q, b_q))  # (N, H, L, d)
        k = self._split_heads(F.linear(key, w_k, b_k))  # (N, H, S, d)
        v = self._split_heads(F.linear(value, w_v, b_v))  # (N, H, S, d)
        scale = 1.0 / math.sqrt(self.head_dim)  # per head: d = E // num_heads
        scores = (q * scale) @ k.transpose(-2, -1)  # (N, H, L, S)
        if attn_mask is not None:
            bias = _additive(attn_mask, scores.dtype)
            if bias.dim() == 3:  # (N * heads, L, S), batch-major: row b * num_heads + h
                bias = bias.reshape(n, self.num_heads, tgt_len, src_len)
            scores = scores + bias
        if key_padding_mask is not None:
            pad = _additive(key_padding_mask, scores.dtype)
            scores = scores + pad.reshape(n, 1, 1, src_len)  # (N, S): masks keys, for every query
        weights = torch.softmax(scores, dim=-1)  # over the keys
        out = weights @ v  # (N, H, L, d)
        out = out.transpose(1, 2).reshape(n, tgt_len, e)  # the heads side by side again
        out = self.out_proj(out)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(dim=1)  # (N, L, S)
        return out, weights
