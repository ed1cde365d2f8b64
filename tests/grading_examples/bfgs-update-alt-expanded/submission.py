# quizdl drill: bfgs-update
"""Alternative correct solution: eq. 6.17 multiplied out,
H + (sy + y'Hy) ss' / sy^2 - (Hy s' + s y'H) / sy, and a while-loop line search."""

import numpy as np


def bfgs_inverse_update(H, s, y):
    sy = s.dot(y)
    Hy = H.dot(y)
    yHy = y.dot(Hy)
    return (H + (sy + yHy) * np.outer(s, s) / sy ** 2
            - (np.outer(Hy, s) + np.outer(s, Hy)) / sy)


def bfgs_minimize(f, grad_fn, x0, tol=1e-8, max_iter=100):
    x = x0.copy()
    n = x.size
    Hinv = np.identity(n, dtype=x.dtype)
    g = grad_fn(x)
    it = 0
    while it < max_iter and np.sqrt(g.dot(g)) > tol:
        d = -Hinv.dot(g)
        f0 = f(x)
        dd = g.dot(d)
        t, tries = 1.0, 0
        while tries < 50 and f(x + t * d) > f0 + 1e-4 * t * dd:
            t /= 2
            tries += 1
        step = t * d
        x_next = x + step
        g_next = grad_fn(x_next)
        dg = g_next - g
        if dg.dot(step) > 0:
            Hinv = bfgs_inverse_update(Hinv, step, dg)
        x, g = x_next, g_next
        it += 1
    return x, it
