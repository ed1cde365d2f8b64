"""Reference: the Newton step from a linear solve (never an explicit inverse), the gradient norm
checked before each step, (x, max_iter) when the budget runs out."""

import numpy as np


def newton_step(grad, hess):
    try:
        step = np.linalg.solve(hess, grad)  # H p = g, backward stable; inv(H) @ g is not
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError("the Hessian is singular: H p = -g has no unique solution") from None
    return -step


def newton_minimize(grad_fn, hess_fn, x0, tol=1e-10, max_iter=50):
    x = np.array(x0, copy=True)  # the caller's x0 stays untouched
    for k in range(max_iter):
        g = grad_fn(x)
        if np.linalg.norm(g) <= tol:  # checked before the step: at a minimum no step is taken
            return x, k
        p = newton_step(g, hess_fn(x))
        x = x + p
    return x, max_iter
