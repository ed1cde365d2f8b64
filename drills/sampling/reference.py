"""Reference: decoding filters and sampling on 1-D logits. top-k keeps exactly k tokens (ties at
the k-th value go to the lower indices); top-p keeps the smallest prefix of the descending-sorted
distribution whose mass reaches p, the crossing token included (ties in the sort go to the lower
index); sample: temperature, then top-k, then top-p, then the inverse CDF in vocabulary order
(the first i with cdf[i] > u); temperature 0 is greedy (argmax, the lowest index on ties)."""

import numpy as np


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def top_k_filter(logits, k):
    order = np.argsort(-logits, kind="stable")
    keep = order[:k]
    out = np.full_like(logits, -np.inf)
    out[keep] = logits[keep]
    return out


def top_p_filter(logits, p):
    probs = _softmax(logits)
    order_p = np.argsort(-probs, kind="stable")
    cum = np.cumsum(probs[order_p])
    n_keep = int(np.searchsorted(cum, p, side="left")) + 1
    drop = order_p[n_keep:]
    filtered = logits.copy()
    filtered[drop] = -np.inf
    return filtered


def sample(logits, u, temperature=1.0, top_k=None, top_p=None):
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    if top_k is not None:
        z = top_k_filter(z, top_k)
    if top_p is not None:
        z = top_p_filter(z, top_p)
    probs = _softmax(z)
    cdf = np.cumsum(probs)
    i = int(np.searchsorted(cdf, u, side="right"))
    return min(i, int(np.flatnonzero(probs)[-1]))
