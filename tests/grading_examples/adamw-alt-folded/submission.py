# quizdl drill: adamw
"""A correct solution written differently: the decay written as p -= lr * wd * p, moments with
lerp_, bias corrections folded into the step size (section 2 of the Adam paper) with eps rescaled
by sqrt(1 - beta2^t) so the update equals PyTorch's m_hat / (sqrt(v_hat) + eps)."""

import math

import torch
from torch.optim import Optimizer


class AdamW(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps,
                                  "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                b1, b2 = group["betas"]
                lr = group["lr"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad
                    p.sub_(lr * group["weight_decay"] * p)
                    st = self.state[p]
                    if not st:
                        st["step"] = 0
                        st["exp_avg"] = torch.zeros_like(p)
                        st["exp_avg_sq"] = torch.zeros_like(p)
                    st["step"] += 1
                    t = st["step"]
                    st["exp_avg"].lerp_(g, 1 - b1)
                    st["exp_avg_sq"].mul_(b2).add_(g * g, alpha=1 - b2)
                    c1, c2 = 1 - b1**t, 1 - b2**t
                    alpha = lr * math.sqrt(c2) / c1
                    denom = st["exp_avg_sq"].sqrt() + group["eps"] * math.sqrt(c2)
                    p.addcdiv_(st["exp_avg"], denom, value=-alpha)
        return loss
