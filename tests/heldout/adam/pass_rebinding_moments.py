# quizdl drill: adam
# expect: pass
import torch
from torch.optim import Optimizer


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
                beta1, beta2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    grad = p.grad + wd * p if wd != 0 else p.grad
                    state = self.state[p]
                    t = state.get("t", 0) + 1
                    m = state.get("m", torch.zeros_like(p))
                    v = state.get("v", torch.zeros_like(p))
                    m = beta1 * m + (1 - beta1) * grad
                    v = beta2 * v + (1 - beta2) * grad * grad
                    state["t"], state["m"], state["v"] = t, m, v
                    m_hat = m / (1 - beta1 ** t)
                    v_hat = v / (1 - beta2 ** t)
                    p -= lr * m_hat / (torch.sqrt(v_hat) + eps)
        return loss
