"""Reference: 2-D max pooling like torch.nn.functional.max_pool2d (no dilation, ceil_mode=False)
for x (N, C, H, W): windows kernel = (kh, kw), stride (default: the kernel), implicit -inf
padding on both sides of H and W; OH = (H + 2·ph − kh) // sh + 1 (OW likewise). The backward
pass sends each output's gradient to the one input PyTorch picks as the max of its window (the
first maximum in row-major scan order of the window), accumulating where windows overlap."""

import numpy as np


def _pair(v):
    if isinstance(v, tuple | list):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def maxpool2d_forward(x, kernel, stride=None, padding=0):
    kh, kw = _pair(kernel)
    sh, sw = _pair(kernel if stride is None else stride)
    ph, pw = _pair(padding)
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    oh = (h + 2 * ph - kh) // sh + 1
    ow = (w + 2 * pw - kw) // sw + 1
    windows = np.empty((n, c, oh, ow, kh * kw), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + sh * (oh - 1) + 1, sh)
            cols = slice(j, j + sw * (ow - 1) + 1, sw)
            windows[..., i * kw + j] = xp[:, :, rows, cols]
    arg = np.argmax(windows, axis=-1)
    out = np.take_along_axis(windows, arg[..., None], axis=-1)[..., 0]
    cache = {"x_shape": x.shape, "windows": windows, "out": out.copy(), "arg": arg,
             "kernel": (kh, kw), "stride": (sh, sw), "padding": (ph, pw)}
    return out, cache


def maxpool2d_backward(dout, cache):
    n, c, h, w = cache["x_shape"]
    kh, kw = cache["kernel"]
    sh, sw = cache["stride"]
    ph, pw = cache["padding"]
    windows, out, arg = cache["windows"], cache["out"], cache["arg"]  # noqa: F841 (the edits of grad-to-all-ties use them)
    oh, ow = arg.shape[2:]
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=dout.dtype)
    for oy in range(oh):
        for ox in range(ow):
            top = oy * sh
            left = ox * sw
            hit = np.zeros((n, c, kh * kw), dtype=bool)
            np.put_along_axis(hit, arg[:, :, oy, ox, None], True, axis=-1)
            grad = np.where(hit, dout[:, :, oy, ox, None], 0)
            dxp[:, :, top:top + kh, left:left + kw] += grad.reshape(n, c, kh, kw)
    return dxp[:, :, ph:ph + h, pw:pw + w]
