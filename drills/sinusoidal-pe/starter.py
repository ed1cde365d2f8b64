# quizdl drill: sinusoidal-pe
"""Sinusoidal positional encodings ("Attention Is All You Need"), NumPy only (torch, scipy and
sklearn are blocked).

Grade with: quizdl grade sinusoidal-pe.py
"""

import numpy as np


def sinusoidal_positions(length: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The (length, d_model) float64 table of fixed sinusoidal position encodings: row pos is the
    encoding of position pos (0-indexed), sine and cosine of pos at geometrically spaced
    frequencies set by base. Odd d_model: the first d_model columns of the table for d_model + 1."""
    raise NotImplementedError
