"""Reference: torch.nn.functional.triplet_margin_loss by hand (PyTorch's pairwise_distance adds eps
to the difference: ||a - p + eps||_p), and the batch-hard triplet loss of Hermans, Beyer & Leibe
(2017, "In Defense of the Triplet Loss for Person Re-Identification") with Euclidean distances.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


def _distance(x1: torch.Tensor, x2: torch.Tensor, p_norm: float, eps: float) -> torch.Tensor:
    diff = x1 - x2 + eps  # as torch.nn.functional.pairwise_distance
    powered = diff.abs().pow(p_norm).sum(dim=-1)
    return powered.pow(1.0 / p_norm)  # the p-norm of each row


def triplet_margin_loss(a, p, n, margin=1.0, p_norm=2, eps=1e-6, swap=False):
    d_ap = _distance(a, p, p_norm, eps)
    d_an = _distance(a, n, p_norm, eps)
    if swap:  # the harder of the two negatives' distances (Balntas et al., 2016)
        d_pn = _distance(p, n, p_norm, eps)
        d_an = torch.minimum(d_an, d_pn)
    losses = torch.clamp(margin + d_ap - d_an, min=0.0)
    return losses.mean()


def batch_hard_triplet_loss(emb, labels, margin):
    diff = emb[:, None, :] - emb[None, :, :]  # (N, N, D)
    d2 = diff.pow(2).sum(dim=-1)
    dist = torch.sqrt(d2.clamp(min=1e-12))  # Euclidean; finite gradient where d2 = 0 (the diagonal)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
    positive = same & ~eye  # same identity, not the anchor itself
    negative = ~same
    hardest_pos = torch.where(positive, dist, torch.full_like(dist, -float("inf"))).amax(dim=1)
    hardest_neg = torch.where(negative, dist, torch.full_like(dist, float("inf"))).amin(dim=1)
    losses = torch.relu(hardest_pos - hardest_neg + margin)
    return losses.mean()  # over all anchors
