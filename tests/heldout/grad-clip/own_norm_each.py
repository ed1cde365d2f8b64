# quizdl drill: grad-clip
# expect: per-parameter-norm
import math

import torch


def clip_grad_norm_(params, max_norm, norm_type=2.0, error_if_nonfinite=False):
    if isinstance(params, torch.Tensor):
        params = [params]
    params = [p for p in params if p.grad is not None]
    if not params:
        return torch.tensor(0.0)
    if norm_type == math.inf:
        each = [p.grad.abs().max() for p in params]
        total = torch.max(torch.stack(each))
    else:
        each = [p.grad.norm(norm_type) for p in params]
        total = torch.stack(each).norm(norm_type)
    if error_if_nonfinite and not torch.isfinite(total):
        raise RuntimeError("non-finite")
    with torch.no_grad():
        for p, n in zip(params, each, strict=True):
            factor = max_norm / (n + 1e-6)
            if factor < 1:
                p.grad.mul_(factor)
    return total


def clip_grad_value_(params, clip_value):
    if isinstance(params, torch.Tensor):
        params = [params]
    for p in params:
        if p.grad is not None:
            p.grad.data = p.grad.data.clamp(-clip_value, clip_value)
