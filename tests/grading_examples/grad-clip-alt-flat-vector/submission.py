# quizdl drill: grad-clip
"""All gradients flattened into one vector, torch.linalg.vector_norm on it, clamp(..., out=)."""

import torch


def clip_grad_norm_(params, max_norm, norm_type=2.0, error_if_nonfinite=False):
    ps = [params] if torch.is_tensor(params) else [p for p in params]
    gs = [p.grad for p in ps if p.grad is not None]
    if len(gs) == 0:
        return torch.tensor(0.0)
    flat = torch.cat([g.detach().reshape(-1) for g in gs])
    total = torch.linalg.vector_norm(flat, ord=float(norm_type))
    if error_if_nonfinite and (total.isnan() or total.isinf()):
        raise RuntimeError("non-finite total norm")
    scale = (max_norm / (total + 1e-6)).clamp(max=1.0)
    for g in gs:
        g.mul_(scale)
    return total


def clip_grad_value_(params, clip_value):
    ps = [params] if torch.is_tensor(params) else list(params)
    for p in ps:
        if p.grad is not None:
            torch.clamp(p.grad, -clip_value, clip_value, out=p.grad)
