"""Reference: the Noam schedule of "Attention Is All You Need" (Vaswani et al. 2017, eq. 3), with
the scale factor of the Annotated Transformer's rate() and Paddle's NoamDecay."""


def noam(step, d_model, warmup_steps, factor=1.0):
    if step == 0:
        return 0.0  # the limit of the warm-up branch, step * warmup^-1.5 -> 0
    model_scale = d_model ** -0.5
    decay = step ** -0.5
    warm = step * warmup_steps ** -1.5
    return factor * model_scale * min(decay, warm)
