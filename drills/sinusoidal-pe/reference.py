"""Reference: the sinusoidal position table of "Attention Is All You Need" (Vaswani et al., 2017,
section 3.5): PE[pos, 2i] = sin(pos / base^(2i/d)), PE[pos, 2i+1] = cos(pos / base^(2i/d)),
interleaved, float64. An odd d_model is the table for d_model + 1 without its last column."""

import numpy as np


def sinusoidal_positions(length, d_model, base=10000.0):
    width = d_model + d_model % 2
    pos = np.arange(length, dtype=np.float64)[:, None]
    two_i = np.arange(0, width, 2, dtype=np.float64)
    exponent = two_i / width
    angles = pos / base ** exponent
    pe = np.empty((length, width), dtype=np.float64)
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe[:, :d_model]
