"""Reference: the BFGS inverse-Hessian update of Nocedal & Wright (eq. 6.17), H_0 = I, Armijo
backtracking from alpha = 1 (halving, c1 = 1e-4), the update skipped unless y^T s > 0."""

import numpy as np

C1 = 1e-4
MAX_HALVINGS = 50


def bfgs_inverse_update(H, s, y):
    rho = 1.0 / (y @ s)
    eye = np.eye(s.shape[0], dtype=H.dtype)
    left = eye - rho * np.outer(s, y)
    right = eye - rho * np.outer(y, s)
    return left @ H @ right + rho * np.outer(s, s)


def bfgs_minimize(f, grad_fn, x0, tol=1e-8, max_iter=100):
    x = np.array(x0, copy=True)
    H = np.eye(x.shape[0], dtype=x.dtype)
    g = grad_fn(x)
    for k in range(max_iter):
        if np.linalg.norm(g) <= tol:
            return x, k
        p = -(H @ g)
        fx = f(x)
        slope = g @ p  # < 0 while H is positive definite
        alpha = 1.0
        for _ in range(MAX_HALVINGS):
            if f(x + alpha * p) <= fx + C1 * alpha * slope:  # Armijo: sufficient decrease
                break
            alpha *= 0.5
        x_new = x + alpha * p
        g_new = grad_fn(x_new)
        s = x_new - x
        y = g_new - g
        if y @ s > 0:  # the curvature condition: only then does the update keep H positive definite
            H = bfgs_inverse_update(H, s, y)
        x, g = x_new, g_new
    return x, max_iter
