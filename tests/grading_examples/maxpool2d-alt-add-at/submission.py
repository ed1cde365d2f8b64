# quizdl drill: maxpool2d
"""Max pooling with sliding_window_view; the backward pass scatters with np.add.at."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _hw(v):
    return (v[0], v[1]) if isinstance(v, tuple | list) else (v, v)


def maxpool2d_forward(x, kernel, stride=None, padding=0):
    KH, KW = _hw(kernel)
    SH, SW = _hw(kernel if stride is None else stride)
    PH, PW = _hw(padding)
    padded = np.full((x.shape[0], x.shape[1], x.shape[2] + 2 * PH, x.shape[3] + 2 * PW), -np.inf, dtype=x.dtype)
    padded[:, :, PH:PH + x.shape[2], PW:PW + x.shape[3]] = x
    win = sliding_window_view(padded, (KH, KW), axis=(2, 3))[:, :, ::SH, ::SW]  # (N, C, OH, OW, KH, KW)
    flat = win.reshape(*win.shape[:4], KH * KW)
    best = flat.argmax(axis=-1)  # first maximum in row-major order, like PyTorch
    out = np.take_along_axis(flat, best[..., None], axis=-1)[..., 0]
    return out, (x.shape, best, (KH, KW), (SH, SW), (PH, PW))


def maxpool2d_backward(dout, cache):
    shape, best, (KH, KW), (SH, SW), (PH, PW) = cache
    N, C, H, W = shape
    _, _, OH, OW = best.shape
    di, dj = np.divmod(best, KW)
    rows = di + SH * np.arange(OH)[:, None]
    cols = dj + SW * np.arange(OW)[None, :]
    nn = np.arange(N)[:, None, None, None]
    cc = np.arange(C)[None, :, None, None]
    grad = np.zeros((N, C, H + 2 * PH, W + 2 * PW), dtype=dout.dtype)
    np.add.at(grad, (nn, cc, rows, cols), dout)
    return grad[:, :, PH:PH + H, PW:PW + W]
