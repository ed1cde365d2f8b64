"""Reference: PyTorch's Adadelta update (L2 weight decay in the gradient; E[g^2] updated first, the
step scaled by the RMS of the previous updates, E[dx^2] updated with this step afterwards; eps
inside both square roots; the step multiplied by lr), without torch.optim.Adadelta. All state lives
in self.state[p], so state_dict() / load_state_dict() carry it; p.grad is only read.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch


class Adadelta(torch.optim.Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():  # the closure runs backward(): it needs autograd
                loss = closure()

        for group in self.param_groups:
            lr = group["lr"]  # each group's own hyper-parameters
            rho = group["rho"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient this step: the parameter and its state stay as they are
                grad = p.grad  # the caller's tensor: read, never modified
                if weight_decay != 0:
                    grad = grad + weight_decay * p  # L2 penalty, added to the gradient

                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)  # E[g^2]
                    state["acc_delta"] = torch.zeros_like(p)  # E[dx^2]
                state["step"] += 1
                square_avg, acc_delta = state["square_avg"], state["acc_delta"]

                # 1. E[g^2] first, with this step's gradient
                square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
                std = square_avg.add(eps).sqrt_()  # RMS[g]_t
                rms_dx = acc_delta.add(eps).sqrt_()  # RMS[dx]_{t-1}: the previous updates
                delta = rms_dx.div_(std).mul_(grad)  # dx = RMS[dx]_{t-1} / RMS[g]_t * g
                # 2. then E[dx^2], with this step's dx
                acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
                p.add_(delta, alpha=-lr)  # lr (default 1.0) scales the step, not the accumulator
        return loss
