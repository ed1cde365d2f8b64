# quizdl drill: mha
"""Multi-head attention, written by hand in PyTorch (torch.nn.MultiheadAttention, batch_first=True).

Grade with: quizdl grade mha.py
"""

import math  # noqa: F401

import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401, N812


class MultiheadAttention(nn.Module):
    """Same results as torch.nn.MultiheadAttention(embed_dim, num_heads, bias=bias, batch_first=True).

    Parameters, with torch's names (the grader loads its own values into them by name):
        in_proj_weight: (3E, E), the q, k and v projections stacked in this order.
        in_proj_bias: (3E,), stacked likewise; None when bias=False.
        out_proj: nn.Linear(E, E) (without bias when bias=False).

    forward(query (N, L, E), key (N, S, E), value (N, S, E), key_padding_mask=None,
            attn_mask=None, need_weights=True, average_attn_weights=True) -> (out, weights)
        key_padding_mask: (N, S); attn_mask: (L, S) or (N * num_heads, L, S), row
            b * num_heads + h. bool masks: True = NOT allowed; float masks are added to the scores.
        out: (N, L, E). weights: the attention probabilities averaged over the heads (N, L, S),
            per head (N, num_heads, L, S) if average_attn_weights=False, None if not need_weights.
    Differentiable with respect to the inputs and the parameters; the inputs and masks belong to
    the caller: do not modify them in place.
    """

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True):
        super().__init__()
        raise NotImplementedError

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None,
                need_weights=True, average_attn_weights=True):
        raise NotImplementedError
