"""Reference: linear warm-up from start_lr to lr_max, then a cosine down to lr_min at total_steps
(lr_min after it), or a constant lr_max."""

import math


def _in_warmup(step, warmup_steps):
    return step < warmup_steps  # warmup_steps = 0: no warm-up at all


def _ramp(step, lr_max, warmup_steps, start_lr):
    return start_lr + (lr_max - start_lr) * step / warmup_steps


def warmup_then_cosine(step, lr_max, warmup_steps, total_steps, start_lr=0.0, lr_min=0.0):
    if _in_warmup(step, warmup_steps):
        return _ramp(step, lr_max, warmup_steps, start_lr)
    if step >= total_steps:
        return lr_min  # the schedule is over: it stays at lr_min
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * progress)) / 2


def warmup_then_constant(step, lr_max, warmup_steps, start_lr=0.0):
    if _in_warmup(step, warmup_steps):
        return _ramp(step, lr_max, warmup_steps, start_lr)
    return lr_max
