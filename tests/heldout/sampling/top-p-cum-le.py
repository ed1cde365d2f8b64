# quizdl drill: sampling
# expect: top-p-excludes-crossing
import numpy as np


def _sm(z):
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


def top_k_filter(logits, k):
    idx = np.argsort(-logits, kind="stable")[:k]
    out = np.full_like(logits, -np.inf)
    out[idx] = logits[idx]
    return out


def top_p_filter(logits, p):
    probs = _sm(logits)
    idx = np.argsort(-probs, kind="stable")
    cum = np.cumsum(probs[idx])
    keep = cum <= p
    keep[0] = True
    out = np.full_like(logits, -np.inf)
    out[idx[keep]] = logits[idx[keep]]
    return out


def sample(logits, u, temperature=1.0, top_k=None, top_p=None):
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    if top_k:
        z = top_k_filter(z, top_k)
    if top_p:
        z = top_p_filter(z, top_p)
    cdf = np.cumsum(_sm(z))
    return int(min(np.searchsorted(cdf, u, side="right"), np.flatnonzero(np.isfinite(z))[-1]))
