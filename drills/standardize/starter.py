# quizdl drill: standardize
"""Min-max scaling and z-scoring fitted on training data, NumPy only (torch and sklearn are
blocked).

Grade with: quizdl grade standardize.py
"""

import numpy as np


def minmax_fit(X: np.ndarray, feature_range=(0, 1)):
    """Per-feature statistics of X (N, D) for min-max scaling to feature_range = (lo, hi).
    Return anything: it is passed back to minmax_transform."""
    raise NotImplementedError


def minmax_transform(X: np.ndarray, stats) -> np.ndarray:
    """X (M, D) scaled with the fitted statistics, in X's dtype; a feature constant in the
    fitted data is not scaled (its range counts as 1). X is not modified."""
    raise NotImplementedError


def zscore_fit(X: np.ndarray):
    """Per-feature statistics of X (N, D) for z-scoring, like scikit-learn's StandardScaler."""
    raise NotImplementedError


def zscore_transform(X: np.ndarray, stats) -> np.ndarray:
    """(X - mean) / std with the fitted statistics, in X's dtype; a zero std counts as 1.
    X is not modified."""
    raise NotImplementedError
