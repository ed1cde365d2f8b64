# quizdl drill: conv2d
"""conv2d via im2col: one (N, OH, OW, C*kh*kw) matrix of windows times the flattened filters."""

import numpy as np


def _two(v):
    return tuple(v) if isinstance(v, tuple | list) else (v, v)


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    (sy, sx), (py, px), (dy, dx) = _two(stride), _two(padding), _two(dilation)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    padded = np.zeros((N, C, H + 2 * py, W + 2 * px), dtype=x.dtype)
    padded[:, :, py:py + H, px:px + W] = x
    OH = (H + 2 * py - dy * (KH - 1) - 1) // sy + 1
    OW = (W + 2 * px - dx * (KW - 1) - 1) // sx + 1
    cols = np.empty((N, OH, OW, C, KH, KW), dtype=x.dtype)
    for r in range(OH):
        for c in range(OW):
            window = padded[:, :, r * sy:r * sy + dy * (KH - 1) + 1:dy, c * sx:c * sx + dx * (KW - 1) + 1:dx]
            cols[:, r, c] = window
    y = cols.reshape(N, OH, OW, -1) @ w.reshape(F, -1).T  # (N, OH, OW, F)
    y = y.transpose(0, 3, 1, 2)
    if b is not None:
        y = y + b[None, :, None, None]
    return np.ascontiguousarray(y)
