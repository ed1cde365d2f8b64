# quizdl drill: adam
"""A correct solution written differently: bias corrections folded into the step size (the
rearrangement at the end of section 2 of the Adam paper), with eps rescaled by sqrt(1 - beta2^t) so
the update equals PyTorch's m_hat / (sqrt(v_hat) + eps) exactly; lerp_ for the first moment."""

import math

import torch
from torch.optim import Optimizer


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
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
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad.clone()
                    if group["weight_decay"]:
                        g.add_(p, alpha=group["weight_decay"])
                    st = self.state[p]
                    if "t" not in st:
                        st["t"], st["m"], st["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                    st["t"] += 1
                    st["m"].lerp_(g, 1 - b1)
                    st["v"].mul_(b2).add_(g * g * (1 - b2))
                    c2 = math.sqrt(1 - b2 ** st["t"])
                    # lr * m_hat / (sqrt(v_hat) + eps) == (lr * c2 / c1) * m / (sqrt(v) + eps * c2)
                    step_size = group["lr"] * c2 / (1 - b1 ** st["t"])
                    p.sub_(step_size * st["m"] / (st["v"].sqrt() + group["eps"] * c2))
        return loss
