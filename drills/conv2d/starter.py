# quizdl drill: conv2d
"""2-D convolution (what torch.nn.functional.conv2d computes), NumPy only (torch, scipy and
sklearn are blocked).

Grade with: quizdl grade conv2d.py
"""

import numpy as np


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """x (N, C, H, W), w (F, C, kh, kw), b (F,) or None; stride, padding (zeros on both sides)
    and dilation are ints or (h, w) pairs. Returns (N, F, OH, OW) with PyTorch's output sizes,
    in x's dtype, equal to torch.nn.functional.conv2d(x, w, b, stride, padding, dilation).
    x, w and b are not modified."""
    raise NotImplementedError
