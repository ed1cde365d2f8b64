# quizdl drill: ddpm-noise
"""A correct solution written differently: the cosine schedule from alpha_bar on the grid
0..T (np.diff of its log), q_sample through np.expand_dims in a loop, the posterior from an
alphas_cumprod_prev array (1.0 prepended, as improved-diffusion does) in float64, cast at the end."""

import numpy as np


def linear_betas(T, start=1e-4, end=0.02):
    return start + (end - start) * np.arange(T) / max(T - 1, 1)


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = np.arange(T + 1) / T
    f = np.cos((u + s) / (1 + s) * np.pi / 2) ** 2
    return np.clip(1 - f[1:] / f[:-1], None, max_beta)


def q_sample(x0, t, noise, alphas_cumprod):
    ab = np.asarray(alphas_cumprod, dtype=np.float64)[t]
    ab = np.asarray(ab)
    while ab.ndim < x0.ndim:
        ab = np.expand_dims(ab, -1)
    return (np.sqrt(ab) * x0 + np.sqrt(1.0 - ab) * noise).astype(x0.dtype)


def posterior_mean_variance(x0, xt, t, betas):
    alphas = 1 - betas
    ab = np.cumprod(alphas)
    ab_prev = np.append(1.0, ab[:-1])
    c0 = betas[t] * np.sqrt(ab_prev[t]) / (1 - ab[t])
    ct = (1 - ab_prev[t]) * np.sqrt(alphas[t]) / (1 - ab[t])
    var = betas[t] * (1 - ab_prev[t]) / (1 - ab[t])
    mean = c0 * x0.astype(np.float64) + ct * xt.astype(np.float64)
    return mean.astype(x0.dtype), np.asarray(var, dtype=x0.dtype)
