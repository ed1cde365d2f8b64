# quizdl drill: clip-loss
"""CLIP's symmetric contrastive loss (InfoNCE over images and over texts).

Grade with: quizdl grade clip-loss.py
"""

import torch
import torch.nn.functional as F  # noqa: F401, N812  (F.cross_entropy and F.normalize are allowed)


def clip_loss(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    """The mean of the image-to-text and text-to-image cross-entropies.

    image_emb, text_emb: (N, D), row i of each is a matching pair; not normalised.
    logit_scale: 0-dim tensor, the log of the scale: logits = exp(logit_scale) · cosines.
    Returns a 0-dim tensor in the inputs' dtype, differentiable with respect to all three
    arguments; the inputs are never modified.
    """
    raise NotImplementedError
