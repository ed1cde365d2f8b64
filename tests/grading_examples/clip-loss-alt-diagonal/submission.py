# quizdl drill: clip-loss
"""CLIP loss through F.normalize and log-softmax along both axes: the targets are the diagonal."""

import torch
import torch.nn.functional as F  # noqa: N812


def clip_loss(image_emb, text_emb, logit_scale):
    i = F.normalize(image_emb, dim=-1)
    t = F.normalize(text_emb, dim=-1)
    sims = torch.einsum("nd,md->nm", i, t) * logit_scale.exp()
    per_image = -torch.log_softmax(sims, dim=1).diagonal()  # image n against every text
    per_text = -torch.log_softmax(sims, dim=0).diagonal()  # text n against every image
    return 0.5 * (per_image.mean() + per_text.mean())
