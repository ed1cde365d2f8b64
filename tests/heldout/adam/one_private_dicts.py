# quizdl drill: adam
# expect: moments-outside-state
import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.m, self.v, self.t = {}, {}, {}

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
                g = p.grad + group["weight_decay"] * p
                if p not in self.m:
                    self.m[p], self.v[p], self.t[p] = torch.zeros_like(p), torch.zeros_like(p), 0
                self.t[p] += 1
                self.m[p] = b1 * self.m[p] + (1 - b1) * g
                self.v[p] = b2 * self.v[p] + (1 - b2) * g * g
                m_hat = self.m[p] / (1 - b1 ** self.t[p])
                v_hat = self.v[p] / (1 - b2 ** self.t[p])
                p -= group["lr"] * m_hat / (v_hat.sqrt() + group["eps"])
        return loss
