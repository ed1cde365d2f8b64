# quizdl drill: adadelta
"""A correct solution written differently: Zeiler's Algorithm 1 line by line with new tensors
(torch.sqrt, explicit products), the two accumulators reassigned into self.state[p] under the
names Eg2 / Edx2, lerp_ not used."""

import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + wd * p if wd else p.grad
                s = self.state[p]
                if len(s) == 0:
                    s["Eg2"] = torch.zeros_like(p)
                    s["Edx2"] = torch.zeros_like(p)
                    s["t"] = 0
                s["t"] += 1
                eg2 = rho * s["Eg2"] + (1.0 - rho) * (g * g)                  # accumulate gradient
                dx = torch.sqrt(s["Edx2"] + eps) / torch.sqrt(eg2 + eps) * g  # compute update
                s["Edx2"] = rho * s["Edx2"] + (1.0 - rho) * (dx * dx)         # accumulate updates
                s["Eg2"] = eg2
                p -= lr * dx                                                   # apply update
        return loss
