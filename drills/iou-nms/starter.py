# quizdl drill: iou-nms
"""Box IoU and non-maximum suppression, NumPy only (torch, torchvision, scipy and sklearn are
blocked).

Grade with: quizdl grade iou-nms.py
"""

import numpy as np


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The (N, M) matrix of intersection over union between the boxes a (N, 4) and b (M, 4),
    each row (x1, y1, x2, y2) with x1 <= x2, y1 <= y2 (continuous coordinates). Boxes that do not
    overlap have IoU 0; a pair of zero-area boxes (union 0) has IoU 0, not NaN. Same dtype as a."""
    raise NotImplementedError


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy non-maximum suppression: the int64 indices of the kept boxes, in descending score
    order (equal scores: the lower index first). A box is suppressed by a kept box with a higher
    rank whose IoU with it is greater than iou_threshold (equal does not suppress)."""
    raise NotImplementedError
