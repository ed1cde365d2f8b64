# quizdl drill: iou-nms
"""A correct solution written differently: IoU with separate x and y overlaps and np.divide(...,
where=), NMS in the style of Fast R-CNN's py_cpu_nms (a shrinking index array, no +1, a stable
sort so ties keep the lower index)."""

import numpy as np


def box_iou(a, b):
    ax1, ay1, ax2, ay2 = (a[:, k:k + 1] for k in range(4))
    bx1, by1, bx2, by2 = (b[:, k] for k in range(4))
    ow = np.maximum(0, np.minimum(ax2, bx2) - np.maximum(ax1, bx1))
    oh = np.maximum(0, np.minimum(ay2, by2) - np.maximum(ay1, by1))
    inter = ow * oh
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0)
    return out


def nms(boxes, scores, iou_threshold):
    idx = np.argsort(-scores, kind="stable")
    keep = []
    while idx.size > 0:
        best = idx[0]
        keep.append(int(best))
        rest = idx[1:]
        ious = box_iou(boxes[best:best + 1], boxes[rest])[0]
        idx = rest[ious <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)
