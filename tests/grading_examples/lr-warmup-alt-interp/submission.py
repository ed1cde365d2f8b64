# quizdl drill: lr-warmup
"""A correct solution written differently: np.interp for the ramp, a clipped progress for the
cosine (min(p, 1) gives lr_min from total_steps on)."""

import numpy as np


def warmup_then_constant(step, lr_max, warmup_steps, start_lr=0.0):
    if warmup_steps == 0 or step >= warmup_steps:
        return lr_max
    return float(np.interp(step, [0, warmup_steps], [start_lr, lr_max]))


def warmup_then_cosine(step, lr_max, warmup_steps, total_steps, start_lr=0.0, lr_min=0.0):
    if step < warmup_steps:
        return warmup_then_constant(step, lr_max, warmup_steps, start_lr)
    p = min((step - warmup_steps) / (total_steps - warmup_steps), 1.0)
    return lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * p))
