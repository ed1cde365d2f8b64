# quizdl drill: bn-backward
"""BatchNorm forward and backward by hand, in NumPy (torch may not be imported).

x has shape (N, D): N examples, D features. Use the training-mode statistics of the batch:
the per-feature mean and the *biased* variance (divide by N).

Grade with: quizdl grade bn_backward.py
"""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """BatchNorm in training mode.

    Args:
        x: array of shape (N, D).
        gamma: scale, shape (D,).
        beta: shift, shape (D,).
        eps: added to the variance inside the square root.

    Returns:
        (out, cache): out has shape (N, D),
            out = gamma * (x - mean) / sqrt(var + eps) + beta,
        with mean and biased variance taken over the batch axis (axis 0).
        cache is anything you like; it is passed unchanged to batchnorm_backward.
    """
    raise NotImplementedError


def batchnorm_backward(dout, cache):
    """Backward pass of batchnorm_forward.

    Args:
        dout: upstream gradient dL/dout, shape (N, D).
        cache: what batchnorm_forward returned.

    Returns:
        (dx, dgamma, dbeta): dL/dx of shape (N, D), dL/dgamma and dL/dbeta of shape (D,).
        The batch mean and variance depend on x: their gradients must flow into dx.
        Results keep the input's dtype (float32 in, float32 out); dout is not modified.
    """
    raise NotImplementedError
