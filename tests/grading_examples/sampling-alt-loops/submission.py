# quizdl drill: sampling
"""A correct solution written differently: lexsort for the descending order with ties to the
lower index, a boolean keep-mask and np.where, a log-sum-exp softmax, and plain loops for the
nucleus cut and the inverse CDF."""

import numpy as np


def _descending(x):
    return np.lexsort((np.arange(x.size), -x))  # primary key -x, then the index


def _probs(z):
    m = z.max()
    logp = z - (m + np.log(np.exp(z - m).sum()))
    return np.exp(logp)


def top_k_filter(logits, k):
    mask = np.zeros(logits.shape, dtype=bool)
    mask[_descending(logits)[:k]] = True
    return np.where(mask, logits, -np.inf).astype(logits.dtype)


def top_p_filter(logits, p):
    probs = _probs(logits)
    mask = np.zeros(logits.shape, dtype=bool)
    total = 0.0
    for idx in _descending(probs):
        mask[idx] = True
        total += probs[idx]
        if total >= p:
            break
    return np.where(mask, logits, -np.inf).astype(logits.dtype)


def sample(logits, u, temperature=1.0, top_k=None, top_p=None):
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    if top_k is not None:
        z = top_k_filter(z, top_k)
    if top_p is not None:
        z = top_p_filter(z, top_p)
    probs = _probs(z)
    acc = 0.0
    last = 0
    for i, q in enumerate(probs):
        if q > 0:
            last = i
        acc += q
        if acc > u:
            return i
    return last
