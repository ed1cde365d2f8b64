# quizdl drill: nesterov
"""A correct alternative: CS231n's change-of-variables step, p -= lr * ((1 + mu) * b_new - mu * b_old),
which equals lr * (g + mu * b_new) with b_new = mu * b_old + g."""

import torch


class Nesterov(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.9, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            mu, wd = group["momentum"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = torch.add(p.grad, p, alpha=wd) if wd else p.grad
                state = self.state[p]
                old = state.get("momentum_buffer")
                if old is None:
                    old = torch.zeros_like(p)  # b_0 = 0, so b_1 = g (PyTorch's first buffer)
                new = mu * old + grad
                state["momentum_buffer"] = new
                p.sub_(group["lr"] * ((1 + mu) * new - mu * old))
        return loss
