"""Reference: statistics per feature (axis 0) fitted on the training data only and reused for any
data; a zero range or standard deviation counts as 1 (scikit-learn's rule), the population
standard deviation (ddof=0); results in X's dtype."""

import numpy as np


def minmax_fit(X, feature_range=(0, 1)):
    lo, hi = feature_range
    data_min = np.min(X, axis=0)
    data_max = np.max(X, axis=0)
    data_range = data_max - data_min
    data_range = np.where(data_range == 0, 1, data_range)  # constant feature: not scaled
    return {"min": data_min, "range": data_range, "lo": lo, "hi": hi}


def minmax_transform(X, stats):
    data_min, data_range = stats["min"], stats["range"]
    lo, hi = stats["lo"], stats["hi"]
    scaled = (X - data_min) / data_range
    return scaled * (hi - lo) + lo


def zscore_fit(X):
    mean = np.mean(X, axis=0)
    std = np.std(X, axis=0)  # ddof=0, like StandardScaler
    std = np.where(std == 0, 1, std)  # constant feature: centred, not scaled
    return {"mean": mean, "std": std}


def zscore_transform(X, stats):
    centered = X - stats["mean"]  # a new array: the caller's X stays untouched
    return centered / stats["std"]
