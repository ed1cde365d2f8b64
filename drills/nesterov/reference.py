"""Reference: PyTorch's Nesterov momentum (torch.optim.SGD, nesterov=True, dampening=0), without
torch.optim.SGD.

The change-of-variables form: the stored parameters are the look-ahead point, so the gradient
autograd gives is already the look-ahead gradient. The buffer starts as the first gradient and
accumulates b = momentum * b + g; the step is p -= lr * (g + momentum * b). Weight decay is the
L2 penalty added to the gradient first. All state lives in self.state[p]; p.grad is only read.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch


class Nesterov(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.9, weight_decay=0.0):
        defaults = dict(lr=lr, momentum=momentum, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():  # the closure runs backward(): it needs autograd
                loss = closure()

        for group in self.param_groups:
            lr = group["lr"]  # each group's own hyper-parameters
            momentum = group["momentum"]
            weight_decay = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient this step: the parameter and its buffer stay as they are
                d_p = p.grad  # the caller's tensor: read, never modified
                if weight_decay != 0:
                    d_p = d_p + weight_decay * p  # L2 penalty, added to the gradient before the momentum

                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = torch.clone(d_p).detach()  # first step: the gradient itself
                    state["momentum_buffer"] = buf
                else:
                    buf.mul_(momentum).add_(d_p)  # no dampening with Nesterov
                direction = d_p.add(buf, alpha=momentum)  # Nesterov: the gradient plus momentum * the new buffer
                p.add_(direction, alpha=-lr)
        return loss
