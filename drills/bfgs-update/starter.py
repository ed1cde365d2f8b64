# quizdl drill: bfgs-update
"""BFGS with an Armijo backtracking line search, NumPy only (torch and scipy are blocked).

Grade with: quizdl grade bfgs_update.py
"""

import numpy as np


def bfgs_inverse_update(H: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The BFGS update of the inverse-Hessian approximation H (Nocedal & Wright eq. 6.17).

    H: (n, n) symmetric positive definite; s = x_new - x, y = g_new - g, both (n,), y @ s > 0.
    Returns a new (n, n) array in H's dtype with H_new @ y == s. Inputs are not modified.
    """
    raise NotImplementedError


def bfgs_minimize(f, grad_fn, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 100):
    """BFGS from x0 with H0 = I. Returns (x, iterations).

    Each iteration: stop with (x, steps so far) when ||grad_fn(x)||_2 <= tol; p = -H g; Armijo
    backtracking from alpha = 1, halving, c1 = 1e-4 (at most 50 tests, then alpha = 2**-50);
    x_new = x + alpha p; update H with s, y only when y @ s > 0. After max_iter steps return
    (x, max_iter). x keeps x0's shape and dtype; x0 itself is not modified.
    """
    raise NotImplementedError
