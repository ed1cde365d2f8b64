# quizdl drill: grad-clip
# expect: returns-python-float, generator-used-twice
import math

import torch


def clip_grad_norm_(params, max_norm, norm_type=2.0, error_if_nonfinite=False):
    if isinstance(params, torch.Tensor):
        params = [params]
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    if norm_type == math.inf:
        total = max(g.abs().max().item() for g in grads)
    else:
        total = sum(g.abs().pow(norm_type).sum().item() for g in grads) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError("nope")
    scale = min(max_norm / (total + 1e-6), 1.0)
    for p in params:
        if p.grad is not None:
            p.grad.mul_(scale)
    return total


def clip_grad_value_(params, clip_value):
    if isinstance(params, torch.Tensor):
        params = [params]
    for p in params:
        if p.grad is not None:
            p.grad.clamp_(min=-clip_value, max=clip_value)
