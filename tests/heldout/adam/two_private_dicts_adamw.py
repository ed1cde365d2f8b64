# quizdl drill: adam
# expect: moments-outside-state, decoupled-weight-decay
import torch


class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self._m = {}
        self._v = {}
        self._n = {}

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                key = id(p)
                if key not in self._m:
                    self._m[key] = torch.zeros_like(p)
                    self._v[key] = torch.zeros_like(p)
                    self._n[key] = 0
                self._n[key] += 1
                p.mul_(1 - lr * wd)
                self._m[key].mul_(b1).add_(p.grad, alpha=1 - b1)
                self._v[key].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                m_hat = self._m[key] / (1 - b1 ** self._n[key])
                v_hat = self._v[key] / (1 - b2 ** self._n[key])
                p.addcdiv_(m_hat, v_hat.sqrt() + eps, value=-lr)
        return loss
