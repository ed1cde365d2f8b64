"""Reference: PyTorch's RMSprop update (L2 weight decay in the gradient; the centered variant
subtracts the square of the running mean of the gradients; eps after the square root; the momentum
buffer accumulates the normalised step), without torch.optim.RMSprop. All state lives in
self.state[p], so state_dict() / load_state_dict() carry it; p.grad is only read.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch


class RMSprop(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():  # the closure runs backward(): it needs autograd
                loss = closure()

        for group in self.param_groups:
            lr = group["lr"]  # each group's own hyper-parameters
            alpha = group["alpha"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            centered = group["centered"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient this step: the parameter and its state stay as they are
                grad = p.grad  # the caller's tensor: read, never modified
                if weight_decay != 0:
                    grad = grad + weight_decay * p  # L2 penalty, added to the gradient

                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = torch.zeros_like(p)
                    if centered:
                        state["grad_avg"] = torch.zeros_like(p)
                state["step"] += 1
                square_avg = state["square_avg"]

                square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)  # E[g^2]
                if centered:
                    grad_avg = state["grad_avg"]
                    grad_avg.lerp_(grad, 1 - alpha)  # E[g]
                    var = square_avg.addcmul(grad_avg, grad_avg, value=-1)  # E[g^2] - E[g]^2
                else:
                    var = square_avg
                rms = var.sqrt()
                denom = rms.add_(eps)  # eps after the square root
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(momentum).addcdiv_(grad, denom)  # momentum on the normalised step
                    p.add_(buf, alpha=-lr)
                else:
                    p.addcdiv_(grad, denom, value=-lr)
        return loss
