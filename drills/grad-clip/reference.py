"""Reference: torch.nn.utils.clip_grad_norm_ and clip_grad_value_. One total norm over every
gradient together (the p-norm of the per-tensor p-norms; the largest entry for p = inf), the
scale max_norm / (total + 1e-6) capped at 1, gradients scaled in place, None gradients skipped,
the total norm from before clipping returned as a tensor."""

import math

import torch


def clip_grad_norm_(params, max_norm, norm_type=2.0, error_if_nonfinite=False):
    if isinstance(params, torch.Tensor):
        params = [params]  # a single tensor is accepted too
    params = list(params)  # a generator can be walked only once
    norm_type = float(norm_type)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)  # like torch: nothing to clip
    if norm_type == math.inf:
        norms = [g.detach().abs().max() for g in grads]
        total_norm = torch.stack(norms).max()  # the largest entry of them all
    else:
        sums = [g.detach().abs().pow(norm_type).sum() for g in grads]
        total_norm = torch.stack(sums).sum().pow(1.0 / norm_type)  # one norm over all the gradients
    if error_if_nonfinite and not torch.isfinite(total_norm):
        raise RuntimeError(f"the total norm of order {norm_type} of the gradients is non-finite: cannot clip")
    clip_coef = max_norm / (total_norm + 1e-6)
    clip_coef_clamped = torch.clamp(clip_coef, max=1.0)
    for p in params:
        if p.grad is not None:
            p.grad.detach().mul_(clip_coef_clamped.to(p.grad.dtype))
    return total_norm  # the norm before clipping, a tensor


def clip_grad_value_(params, clip_value):
    if isinstance(params, torch.Tensor):
        params = [params]  # likewise
    clip_value = float(clip_value)
    for p in params:
        if p.grad is not None:
            p.grad.detach().clamp_(min=-clip_value, max=clip_value)
