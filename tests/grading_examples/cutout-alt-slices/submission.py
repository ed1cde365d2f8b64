# quizdl drill: cutout
"""A correct solution written differently: a copy zeroed through slice objects built with
np.clip, the same code for (C, H, W) and (N, C, H, W) through Ellipsis."""

import numpy as np


def cutout(images, cy, cx, size):
    height, width = images.shape[-2:]
    start = np.array([cy, cx]) - size // 2
    stop = start + size
    (r0, c0) = np.clip(start, 0, [height, width])
    (r1, c1) = np.clip(stop, 0, [height, width])
    result = np.array(images, copy=True)
    result[(Ellipsis, slice(int(r0), int(r1)), slice(int(c0), int(c1)))] = 0.0
    return result
