# quizdl drill: newton
"""Newton's method with NumPy only (torch and scipy are blocked).

Grade with: quizdl grade newton.py
"""

import numpy as np


def newton_step(grad: np.ndarray, hess: np.ndarray) -> np.ndarray:
    """The Newton step p = -H^-1 g, shape (n,), in the inputs' dtype.

    Accurate even for a nearly singular H (residual ||H p + g|| at rounding level); raises
    ValueError or numpy.linalg.LinAlgError when H is exactly singular. Inputs are not modified.
    """
    raise NotImplementedError


def newton_minimize(grad_fn, hess_fn, x0: np.ndarray, tol: float = 1e-10, max_iter: int = 50):
    """Newton's method from x0. Returns (x, iterations).

    Before each step: g = grad_fn(x); if ||g||_2 <= tol, return (x, steps taken so far).
    Otherwise x <- x + newton_step(g, hess_fn(x)). After max_iter steps return (x, max_iter).
    x keeps x0's shape and dtype; x0 itself is not modified.
    """
    raise NotImplementedError
