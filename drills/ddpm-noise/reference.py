"""Reference: DDPM noise schedules and the forward process. linear_betas is np.linspace
(Ho et al., 2020); cosine_betas is betas_for_alpha_bar of Nichol & Dhariwal's improved-diffusion
(alpha_bar(t) = cos(((t/T + s) / (1 + s)) * pi/2)^2, beta_t = min(1 - alpha_bar(t+1)/alpha_bar(t),
max_beta), t = 0..T-1); q_sample is sqrt(abar_t) x0 + sqrt(1 - abar_t) noise (t an int or one per
example); posterior_mean_variance is q(x_{t-1} | x_t, x0) of Ho et al. eq. 6-7, t 0-indexed with
abar_{-1} = 1 (variance 0 at t = 0). Results keep x0's dtype."""

import math

import numpy as np


def linear_betas(T, start=1e-4, end=0.02):
    return np.linspace(start, end, T, dtype=np.float64)


def _alpha_bar(t, T, s):
    return np.cos((t / T + s) / (1 + s) * np.pi / 2) ** 2


def cosine_betas(T, s=0.008, max_beta=0.999):
    t = np.arange(T, dtype=np.float64)
    betas = 1.0 - _alpha_bar(t + 1, T, s) / _alpha_bar(t, T, s)
    return np.minimum(betas, max_beta)


def q_sample(x0, t, noise, alphas_cumprod):
    ab = np.asarray(alphas_cumprod[t], dtype=x0.dtype)
    ab = ab.reshape(ab.shape + (1,) * (x0.ndim - ab.ndim))
    signal = np.sqrt(ab)
    sigma = np.sqrt(1 - ab)
    return signal * x0 + sigma * noise


def posterior_mean_variance(x0, xt, t, betas):
    alphas = 1.0 - betas
    alphas_cumprod = np.cumprod(alphas)
    ab_t = float(alphas_cumprod[t])
    ab_prev = float(alphas_cumprod[t - 1]) if t > 0 else 1.0
    beta_t = float(betas[t])
    alpha_t = float(alphas[t])
    coef_x0 = math.sqrt(ab_prev) * beta_t / (1.0 - ab_t)
    coef_xt = math.sqrt(alpha_t) * (1.0 - ab_prev) / (1.0 - ab_t)
    mean = coef_x0 * x0 + coef_xt * xt
    variance = beta_t * (1.0 - ab_prev) / (1.0 - ab_t)
    return mean, x0.dtype.type(variance)
