"""Reference: 2-D convolution as deep-learning libraries define it, i.e. cross-correlation (the
kernel is not flipped), for x (N, C, H, W) and w (F, C, kh, kw), with zero padding on both sides
of H and W, stride and dilation; output (N, F, OH, OW) in x's dtype, with
OH = floor((H + 2·ph − dh·(kh − 1) − 1) / sh) + 1 (OW likewise), like torch.nn.functional.conv2d."""

import numpy as np


def _pair(v):
    if isinstance(v, tuple | list):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    dh, dw = _pair(dilation)
    n, _, h, width = x.shape
    f, _, kh, kw = w.shape
    kernel = w
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    span_h = dh * (kh - 1) + 1
    span_w = dw * (kw - 1) + 1
    oh = (h + 2 * ph - span_h) // sh + 1
    ow = (width + 2 * pw - span_w) // sw + 1
    out = np.zeros((n, f, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            top = i * dh
            left = j * dw
            rows = slice(top, top + sh * (oh - 1) + 1, sh)
            cols = slice(left, left + sw * (ow - 1) + 1, sw)
            out += np.einsum("nchw,fc->nfhw", xp[:, :, rows, cols], kernel[:, :, i, j])
    if b is not None:
        out = out + b.reshape(1, f, 1, 1)
    return out
