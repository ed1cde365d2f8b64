# quizdl drill: cutout
"""Cutout with a given centre, NumPy only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade cutout.py
"""

import numpy as np


def cutout(images: np.ndarray, cy: int, cx: int, size: int) -> np.ndarray:
    """Zero a size x size square in every channel of images ((C, H, W) or (N, C, H, W)): rows
    cy - size // 2 ... cy - size // 2 + size - 1, columns likewise, clipped at the borders.
    Returns a new array in images' shape and dtype; images is not modified."""
    raise NotImplementedError
