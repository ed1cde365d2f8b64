"""Reference: vanilla dropout as in Srivastava et al. (2014) — zero the dropped units in training
without scaling, multiply by the keep probability 1 - p at test time — and the inverted form used
by PyTorch and TensorFlow (survivors scaled by 1 / (1 - p) in training, identity at test time).
`mask` is the boolean keep-mask (True = kept)."""

import numpy as np  # noqa: F401 (the known mistakes' edits use it)


def vanilla_dropout(x, p, mask, train=True):
    if not train:
        return x * (1.0 - p)  # every unit present, scaled to the training-time expectation
    dropped = x * mask
    return dropped


def inverted_equivalent(x, p, mask, train=True):
    if not train:
        return x.copy()  # the identity at test time
    kept = x * mask
    return kept / (1.0 - p)
