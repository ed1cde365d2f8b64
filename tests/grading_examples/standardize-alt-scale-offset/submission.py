# quizdl drill: standardize
"""Alternative: scikit-learn's own arrangement, X * scale_ + min_ with scale_ = (hi - lo) /
range; the std from the variance (sqrt of the mean squared deviation); stats as tuples."""

import numpy as np


def minmax_fit(X, feature_range=(0, 1)):
    lo, hi = feature_range
    span = X.max(axis=0) - X.min(axis=0)
    span[span == 0] = 1
    scale = (hi - lo) / span
    offset = lo - X.min(axis=0) * scale
    return scale, offset


def minmax_transform(X, stats):
    scale, offset = stats
    return X * scale + offset


def zscore_fit(X):
    mu = X.mean(axis=0)
    sigma = np.sqrt(((X - mu) ** 2).mean(axis=0))
    sigma[sigma == 0] = 1
    return mu, sigma


def zscore_transform(X, stats):
    mu, sigma = stats
    return (X - mu) / sigma
