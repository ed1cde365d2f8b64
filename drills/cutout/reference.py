"""Reference: Cutout (DeVries & Taylor, 2017) with a given centre: a size x size square whose
rows are cy - size//2 ... cy - size//2 + size - 1 (columns likewise) is zeroed in every channel,
the part outside the image dropped; a new array, the input untouched."""

import numpy as np


def cutout(images, cy, cx, size):
    h, w = images.shape[-2], images.shape[-1]
    top = cy - size // 2
    left = cx - size // 2
    y0 = max(top, 0)
    x0 = max(left, 0)
    y1 = min(top + size, h)
    x1 = min(left + size, w)
    mask = np.ones((h, w), dtype=images.dtype)
    mask[y0:y1, x0:x1] = 0
    out = images * mask
    return out
