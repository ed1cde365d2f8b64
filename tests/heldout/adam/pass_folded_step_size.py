# quizdl drill: adam
# expect: pass
import math

import torch


class Adam(torch.optim.Optimizer):
    """Bias corrections folded into the step size, eps rescaled to match PyTorch exactly."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                s = self.state[p]
                if "n" not in s:
                    s["n"] = 0
                    s["m1"] = torch.zeros_like(p)
                    s["m2"] = torch.zeros_like(p)
                s["n"] += 1
                g = torch.add(p.grad, p, alpha=group["weight_decay"])
                s["m1"].mul_(b1).add_(g, alpha=1 - b1)
                s["m2"].mul_(b2).addcmul_(g, g, value=1 - b2)
                c1 = 1 - b1 ** s["n"]
                c2 = math.sqrt(1 - b2 ** s["n"])
                alpha = group["lr"] * c2 / c1
                p.addcdiv_(s["m1"], s["m2"].sqrt().add(group["eps"] * c2), value=-alpha)
        return loss
