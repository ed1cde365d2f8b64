# quizdl drill: adam
# expect: grad-modified-in-place, one-moment-bias-corrected
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
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                grad += group["weight_decay"] * p
                s = self.state[p]
                if not s:
                    s["t"], s["m"], s["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                s["t"] += 1
                s["m"].mul_(b1).add_(grad, alpha=1 - b1)
                s["v"].mul_(b2).addcmul_(grad, grad, value=1 - b2)
                m_hat = s["m"] / (1 - b1 ** s["t"])
                p.sub_(group["lr"] * m_hat / (s["v"].sqrt() + group["eps"]))
        return loss
