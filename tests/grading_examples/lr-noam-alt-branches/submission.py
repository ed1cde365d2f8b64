# quizdl drill: lr-noam
"""A correct solution written differently: the two phases as explicit branches, with math.sqrt."""

import math


def noam(step, d_model, warmup_steps, factor=1.0):
    scale = factor / math.sqrt(d_model)
    if step < warmup_steps:
        return scale * step / (warmup_steps * math.sqrt(warmup_steps))  # 0.0 at step 0
    return scale / math.sqrt(step)
