# quizdl drill: ddpm-noise
"""DDPM noise schedules, the forward process q(x_t | x_0) and the posterior q(x_{t-1} | x_t, x_0),
NumPy only (torch, scipy and sklearn are blocked).

Grade with: quizdl grade ddpm-noise.py
"""

import numpy as np


def linear_betas(T: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """The (T,) float64 betas of DDPM's linear schedule, from start to end inclusive."""
    raise NotImplementedError


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The (T,) float64 betas of the cosine schedule of Nichol & Dhariwal (2021), as computed by
    betas_for_alpha_bar in their improved-diffusion code (each beta at most max_beta)."""
    raise NotImplementedError


def q_sample(x0: np.ndarray, t, noise: np.ndarray, alphas_cumprod: np.ndarray) -> np.ndarray:
    """x_t drawn from q(x_t | x_0) with the given noise: t is an int, or an int array (N,) with one
    step per example of the batch x0 (N, ...). x0's shape and dtype; no input is modified."""
    raise NotImplementedError


def posterior_mean_variance(x0: np.ndarray, xt: np.ndarray, t: int, betas: np.ndarray):
    """(mean, variance) of q(x_{t-1} | x_t, x_0) (Ho et al. 2020, eq. 6-7) for the integer step t
    (0-indexed): mean in x0's shape and dtype, variance a scalar in x0's dtype (0 at t = 0)."""
    raise NotImplementedError
