# quizdl drill: minibatch-sgd
"""Mini-batch gradient descent for linear regression with NumPy only (torch and scipy are blocked).

Grade with: quizdl grade minibatch_sgd.py
"""

import numpy as np


def minibatches(n: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False):
    """Yield integer index arrays for one epoch.

    Draw one rng.permutation(n) per call and cut it, in order, into consecutive slices of
    batch_size indices; the last slice may be shorter, and is left out when drop_last is True.
    """
    raise NotImplementedError


def train_linear_regression(X: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch_size: int,
                            rng: np.random.Generator):
    """Fit y ~ X @ w + b by mini-batch gradient descent on the mean squared error.

    X: (n, d) float32 or float64; y: (n,). Start from w = zeros (d,) in X's dtype and b = 0.
    Every epoch calls minibatches(n, batch_size, rng) once and takes one step per batch on the
    exact gradient of that batch's mean squared error. Returns (w, b, losses): losses[e] is the
    mean squared error over all n examples after epoch e. X and y must not be modified.
    """
    raise NotImplementedError
