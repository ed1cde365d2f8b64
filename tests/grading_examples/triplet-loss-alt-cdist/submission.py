# quizdl drill: triplet-loss
"""Triplet losses with torch.linalg.vector_norm, and batch-hard mining on torch.cdist with
masked_fill (positives by multiplying with the mask: distances are >= 0, so a max is safe)."""

import torch


def triplet_margin_loss(a, p, n, margin=1.0, p_norm=2, eps=1e-6, swap=False):
    def dist(x, y):
        return torch.linalg.vector_norm(x - y + eps, ord=p_norm, dim=1)

    d_pos = dist(a, p)
    d_neg = dist(a, n)
    if swap:
        d_neg = torch.min(d_neg, dist(p, n))
    return (d_pos - d_neg + margin).clamp_min(0).mean()


def batch_hard_triplet_loss(emb, labels, margin):
    d = torch.cdist(emb, emb)  # zero on the diagonal; cdist's gradient there is 0, not NaN
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    self_pair = torch.eye(labels.numel(), dtype=torch.bool)
    hardest_pos = (d * (same & ~self_pair)).max(dim=1).values
    hardest_neg = d.masked_fill(same, float("inf")).min(dim=1).values
    return torch.nn.functional.relu(hardest_pos - hardest_neg + margin).mean()
