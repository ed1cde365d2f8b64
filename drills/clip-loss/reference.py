"""Reference: CLIP's symmetric contrastive loss (Radford et al., 2021, Figure 3): L2-normalised
embeddings, cosine logits scaled by exp(logit_scale), cross-entropy with the matching pair as the
target, over images (rows) and over texts (columns), averaged.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch
import torch.nn.functional as F  # noqa: N812


def clip_loss(image_emb: torch.Tensor, text_emb: torch.Tensor, logit_scale: torch.Tensor) -> torch.Tensor:
    image = image_emb / image_emb.norm(dim=1, keepdim=True)  # each row to unit length
    text = text_emb / text_emb.norm(dim=1, keepdim=True)
    scale = logit_scale.exp()  # logit_scale = log(1 / temperature)
    logits = scale * (image @ text.T)  # (N, N): row i = image i against every text
    targets = torch.arange(logits.shape[0], device=logits.device)  # pair i matches pair i
    loss_images = F.cross_entropy(logits, targets)  # each image picks its text
    loss_texts = F.cross_entropy(logits.T, targets)  # each text picks its image
    return (loss_images + loss_texts) / 2
