# quizdl drill: mlp-backprop
"""A two-layer MLP (affine - ReLU - affine - softmax cross-entropy), forward and backward by
hand, NumPy only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade mlp-backprop.py
"""

import numpy as np


def forward(params: dict, x: np.ndarray, y: np.ndarray):
    """params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,); x (N, D); y (N,) int class ids.
    scores = relu(x @ W1 + b1) @ W2 + b2; loss = the mean over the batch of the softmax
    cross-entropy of scores against y. Returns (loss, cache): loss a scalar in x's dtype, cache
    anything backward needs. Nothing passed in is modified."""
    raise NotImplementedError


def backward(cache) -> dict:
    """The gradients of forward's loss: a dict with the keys W1, b1, W2, b2, each of the
    parameter's shape and dtype (what torch autograd gives)."""
    raise NotImplementedError
