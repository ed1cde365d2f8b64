# quizdl drill: causal-attention-kv
"""Multi-head causal self-attention with a key/value cache, written by hand in PyTorch.

Grade with: quizdl grade causal-attention-kv.py
"""

import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    """GPT-style causal self-attention that can decode with a cache.

    Submodules: self.qkv = nn.Linear(d_model, 3 * d_model), whose output splits along the
    features into q, k, v in that order (as in nanoGPT), and self.proj = nn.Linear(d_model,
    d_model). n_heads heads of head_dim = d_model // n_heads features each; per head
    softmax(q @ k^T / sqrt(head_dim) + causal mask) @ v, heads put back side by side, then proj.
    """

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor, cache=None):
        """x: (B, T, d_model). Returns (y, cache): y (B, T, d_model) in x's dtype, and a cache
        (anything you like) that, passed back as forward(x_new, cache), continues the sequence
        with the new tokens x_new (B, T_new, d_model). Running a sequence in pieces must give the
        same outputs as one full causal pass. x belongs to the caller: do not modify it.
        """
        raise NotImplementedError
