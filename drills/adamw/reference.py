"""Reference: PyTorch's AdamW update (decoupled weight decay: the parameter is shrunk by
1 - lr * weight_decay before the Adam step, and the moments see the loss gradient only;
per-parameter step count; eps after the square root of the bias-corrected second moment), without
torch.optim.AdamW. All state lives in self.state[p], so state_dict() / load_state_dict() carry it;
p.grad is only read.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import math

import torch


class AdamW(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():  # the closure runs backward(): it needs autograd
                loss = closure()

        for group in self.param_groups:
            lr = group["lr"]  # each group's own hyper-parameters
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient this step: the parameter and its state stay as they are
                grad = p.grad  # the caller's tensor: read, never modified

                # Decoupled weight decay: shrink the parameter itself, before the Adam step.
                p.mul_(1 - lr * weight_decay)

                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1  # this parameter's own step count
                t = state["step"]
                m, v = state["exp_avg"], state["exp_avg_sq"]

                m.lerp_(grad, 1 - beta1)
                v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)

                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                # PyTorch's arrangement: eps is added after the square root of the corrected v.
                v_hat_sqrt = v.sqrt() / math.sqrt(bias_correction2)
                denom = v_hat_sqrt + eps
                step_size = lr / bias_correction1
                p.addcdiv_(m, denom, value=-step_size)
                # (the Adam step above is the whole update: no decay after it)
        return loss
