# quizdl drill: ddpm-noise
# expect: variance-alpha-bar-t
import numpy as np


def linear_betas(T, start=1e-4, end=0.02):
    return np.linspace(start, end, T)


def cosine_betas(T, s=0.008, max_beta=0.999):
    f = lambda u: np.cos((u / T + s) / (1 + s) * np.pi / 2) ** 2  # noqa: E731
    t = np.arange(T)
    return np.minimum(1 - f(t + 1) / f(t), max_beta)


def q_sample(x0, t, noise, alphas_cumprod):
    a = np.asarray(alphas_cumprod[t]).astype(x0.dtype)
    a = a.reshape((-1,) + (1,) * (x0.ndim - 1)) if a.ndim else a
    return np.sqrt(a) * x0 + np.sqrt(1 - a) * noise


def posterior_mean_variance(x0, xt, t, betas):
    ab = np.cumprod(1 - betas)
    prev = np.append(1.0, ab[:-1])
    c0 = float(np.sqrt(prev[t]) * betas[t] / (1 - ab[t]))
    c1 = float(np.sqrt(1 - betas[t]) * (1 - prev[t]) / (1 - ab[t]))
    return c0 * x0 + c1 * xt, x0.dtype.type(betas[t])
