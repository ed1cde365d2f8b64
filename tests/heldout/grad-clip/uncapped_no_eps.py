# quizdl drill: grad-clip
# expect: scale-not-capped, no-epsilon
import torch


def clip_grad_norm_(params, max_norm, norm_type=2.0, error_if_nonfinite=False):
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g, norm_type) for g in grads]), norm_type)
    if error_if_nonfinite and not torch.isfinite(total):
        raise RuntimeError("total norm is not finite")
    coef = max_norm / total
    for g in grads:
        g.mul_(coef)
    return total


def clip_grad_value_(params, clip_value):
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    for p in params:
        if p.grad is not None:
            p.grad.clamp_(-clip_value, clip_value)
