# quizdl drill: newton
"""Alternative correct solution: Gaussian elimination with partial pivoting written by hand
(ValueError on a zero pivot) and a while loop that counts its steps."""

import numpy as np


def _solve(A, b):
    A = A.copy()
    b = b.copy()
    n = b.shape[0]
    for k in range(n):
        pivot = k + int(np.argmax(np.abs(A[k:, k])))
        if A[pivot, k] == 0:
            raise ValueError("singular Hessian: the Newton system has no unique solution")
        A[[k, pivot]] = A[[pivot, k]]
        b[[k, pivot]] = b[[pivot, k]]
        factors = A[k + 1:, k] / A[k, k]
        A[k + 1:, k:] -= np.outer(factors, A[k, k:])
        b[k + 1:] -= factors * b[k]
    x = np.zeros_like(b)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - A[i, i + 1:] @ x[i + 1:]) / A[i, i]
    return x


def newton_step(grad, hess):
    return _solve(hess, -grad)


def newton_minimize(grad_fn, hess_fn, x0, tol=1e-10, max_iter=50):
    x = x0.copy()
    steps = 0
    while steps < max_iter:
        g = grad_fn(x)
        if np.sqrt(np.sum(g * g)) <= tol:
            break
        x = x + newton_step(g, hess_fn(x))
        steps += 1
    return x, steps
