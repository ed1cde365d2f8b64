"""Reference: pairwise IoU of (x1, y1, x2, y2) boxes (continuous coordinates, no +1; the
overlap clamped at 0; a pair whose union is 0 has IoU 0) and greedy non-maximum suppression as in
torchvision.ops.nms: visit boxes by descending score (ties: the lower index first), keep a box
unless a kept box overlaps it with IoU > threshold (equal does not suppress)."""

import numpy as np


def _area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    area_a = _area(a)
    area_b = _area(b)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = rb - lt
    wh = np.clip(wh, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    safe = np.where(union > 0, union, 1)
    return np.where(union > 0, inter / safe, 0)


def nms(boxes, scores, iou_threshold):
    order = np.argsort(-scores, kind="stable")
    iou = box_iou(boxes, boxes)
    suppressed = np.zeros(len(scores), dtype=bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return np.array(keep, dtype=np.int64)
