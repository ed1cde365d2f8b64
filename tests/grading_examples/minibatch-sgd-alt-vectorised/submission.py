# quizdl drill: minibatch-sgd
"""Alternative correct solution: a list of batches, the gradient as the mean of per-example
gradients, the loss via a dot product, losses as Python floats."""

import numpy as np


def minibatches(n, batch_size, rng, drop_last=False):
    perm = rng.permutation(n)
    n_full, rest = divmod(n, batch_size)
    batches = [perm[i * batch_size:(i + 1) * batch_size] for i in range(n_full)]
    if rest and not drop_last:
        batches.append(perm[n_full * batch_size:])
    return batches


def train_linear_regression(X, y, lr, epochs, batch_size, rng):
    n, d = X.shape
    weights = np.zeros(d, dtype=X.dtype)
    bias = 0.0
    history = []
    for _ in range(epochs):
        for batch in minibatches(n, batch_size, rng):
            err = X[batch].dot(weights) + bias - y[batch]
            weights = weights - lr * np.mean(2.0 * err[:, None] * X[batch], axis=0)
            bias = bias - lr * np.mean(2.0 * err)
        r = X.dot(weights) + bias - y
        history.append(float(r.dot(r) / n))
    return weights, bias, history
