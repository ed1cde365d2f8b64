# quizdl drill: triplet-loss
"""Triplet margin loss (as torch.nn.functional.triplet_margin_loss) and the batch-hard triplet
loss of person re-identification.

Grade with: quizdl grade triplet-loss.py
"""

import torch


def triplet_margin_loss(a, p, n, margin=1.0, p_norm=2, eps=1e-6, swap=False):
    """Same as F.triplet_margin_loss(a, p, n, margin=margin, p=p_norm, eps=eps, swap=swap).

    a, p, n: (N, D). d(x, y) = ||x - y + eps||_p_norm per row; with swap the negative distance is
    min(d(a, n), d(p, n)); mean over triplets of max(d(a, p) - d(a, n) + margin, 0).
    Returns a 0-dim tensor in the inputs' dtype.
    """
    raise NotImplementedError


def batch_hard_triplet_loss(emb, labels, margin):
    """Mean over all anchors of max(d_pos - d_neg + margin, 0).

    emb: (N, D); labels: (N,) int64. Euclidean (not squared) distances; d_pos: the largest
    distance to another sample of the same label, d_neg: the smallest distance to a sample of
    another label. Gradients must stay finite (safe sqrt). Returns a 0-dim tensor.
    """
    raise NotImplementedError
