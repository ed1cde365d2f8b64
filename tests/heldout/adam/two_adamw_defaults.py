# quizdl drill: adam
# expect: decoupled-weight-decay, group-hparams-ignored
import math

import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        hp = self.defaults
        b1, b2 = hp["betas"]
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if hp["weight_decay"]:
                    p.mul_(1 - hp["lr"] * hp["weight_decay"])
                s = self.state[p]
                if not s:
                    s["step"], s["m"], s["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                s["step"] += 1
                s["m"].mul_(b1).add_(p.grad, alpha=1 - b1)
                s["v"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                denom = s["v"].sqrt() / math.sqrt(1 - b2 ** s["step"]) + hp["eps"]
                p.addcdiv_(s["m"], denom, value=-hp["lr"] / (1 - b1 ** s["step"]))
        return loss
