"""Reference: one permutation per call of minibatches (one call per epoch), the gradient of the
batch-mean squared error (with its factor 2), the full-data MSE after each epoch."""

import numpy as np


def minibatches(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)  # one shuffle per epoch
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def train_linear_regression(X, y, lr, epochs, batch_size, rng):
    n, d = X.shape
    w = np.zeros(d, dtype=X.dtype)
    b = 0.0
    losses = []
    for _epoch in range(epochs):
        for idx in minibatches(n, batch_size, rng):
            Xb, yb = X[idx], y[idx]
            m = len(idx)  # the last batch may be smaller than batch_size
            residual = Xb @ w + b - yb
            grad_w = 2 * (Xb.T @ residual) / m
            grad_b = 2 * np.sum(residual) / m
            w = w - lr * grad_w
            b = b - lr * grad_b
        losses.append(np.mean((X @ w + b - y) ** 2))
    return w, b, losses
