# quizdl drill: maxpool2d
"""2-D max pooling, forward and backward (what torch.nn.functional.max_pool2d and its autograd
gradient compute), NumPy only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade maxpool2d.py
"""

import numpy as np


def maxpool2d_forward(x: np.ndarray, kernel, stride=None, padding=0):
    """x (N, C, H, W); kernel, stride and padding are ints or (h, w) pairs, stride=None means
    stride = kernel; padding positions never win the max. Returns (out, cache): out
    (N, C, OH, OW) in x's dtype with PyTorch's output sizes, cache anything the backward pass
    needs (handed back untouched). x is not modified."""
    raise NotImplementedError


def maxpool2d_backward(dout: np.ndarray, cache) -> np.ndarray:
    """dout: d loss / d out (out's shape and dtype). Returns dx = d loss / d x in x's shape and
    dtype, exactly as PyTorch's autograd computes it. dout is not modified."""
    raise NotImplementedError
