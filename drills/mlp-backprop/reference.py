"""Reference: a two-layer MLP, affine - ReLU - affine - softmax cross-entropy (mean over the
batch), forward and backward by hand. ReLU's gradient is 0 where the pre-activation is <= 0
(at exactly 0 too, like torch); the softmax is max-shifted; gradients have the parameters'
shapes and the bias gradients sum over the batch."""

import numpy as np


def forward(params, x, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h_pre = x @ W1 + b1
    h = np.maximum(h_pre, 0)
    scores = h @ W2 + b2
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    n = x.shape[0]
    loss = -np.mean(log_probs[np.arange(n), y])
    cache = (x, y, W2, h_pre, h, np.exp(log_probs))
    return loss, cache


def backward(cache):
    x, y, W2, h_pre, h, probs = cache
    n = x.shape[0]
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    dscores = dscores / n
    dW2 = h.T @ dscores
    db2 = np.sum(dscores, axis=0)
    dh = dscores @ W2.T
    dh_pre = dh * (h_pre > 0)
    dW1 = x.T @ dh_pre
    db1 = np.sum(dh_pre, axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
